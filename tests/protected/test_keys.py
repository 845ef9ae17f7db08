"""Key rotation keeps every value readable; a missing or wrong key is one clear error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cases.models import Contact, Person
from cases.selectors import case_list_for
from keys import ring, store
from keys.checks import check_protection_keys
from keys.models import ProtectionKey
from keys.rotation import rewrappers, rotate_all
from tests.factories import make_case
from tests.protected.conftest import KEY_A, KEY_B


def _use(settings, value):
    settings.DALIL_KEK = value
    ring.reset()
    store.forget_keys()


def test_rotation_rewraps_field_and_index_keys_and_keeps_values_readable(settings, kek_a, caseworker):
    case = make_case(actor=caseworker)
    assert set(ProtectionKey.objects.values_list("kek_id", flat=True)) == {"kek-a"}
    assert ProtectionKey.objects.filter(purpose="index").exists()
    _use(settings, f"{KEY_A},{KEY_B}")
    seen = []
    report = rotate_all(progress=lambda d, t, label: seen.append((d, t, label)))
    keys = ProtectionKey.objects.count()
    assert report["rewrapped"]["keys.store.rewrap_protection_keys"] == keys
    assert (keys, keys, "protected field and index keys") in seen
    assert set(ProtectionKey.objects.values_list("kek_id", flat=True)) == {"kek-b"}
    assert store.rewrap_protection_keys() == 0  # nothing left to do: resumable and idempotent
    _use(settings, KEY_B)  # the old key is gone
    person = Person.objects.get(pk=case.person_id)
    assert person.name_latin == "Rustam Nysanbaev" and person.name_cyrillic == "Рустам Нысанбаев"
    assert Contact.objects.get(case=case).phone == "+77010000001"
    assert {c.reference for c in case_list_for(caseworker, query="Нысанбаев")} == {case.reference}


def test_rotation_is_registered_with_the_key_ring():
    assert store.rewrap_protection_keys in rewrappers()


def test_wrong_key_is_one_clear_error(settings, kek_a, caseworker):
    case = make_case(actor=caseworker)
    _use(settings, KEY_B)
    with pytest.raises(ImproperlyConfigured) as caught:
        Person.objects.get(pk=case.person_id).name_latin
    message = str(caught.value)
    assert "\n" not in message and "kek-a" in message and "DALIL_KEK" in message
    errors = check_protection_keys(databases=["default"])
    assert [e.id for e in errors] == ["keys.E001"]
    _use(settings, KEY_A)
    assert check_protection_keys(databases=["default"]) == []


def test_missing_key_ring_fails_the_start_up_check(settings, tmp_path):
    settings.DALIL_KEK_DIR = str(tmp_path / "no-such-folder")
    ring.reset()
    with pytest.raises(ImproperlyConfigured) as caught:
        ring.check_keys()
    assert "\n" not in str(caught.value)


def test_rotation_task_reports_each_step_as_progress(settings, kek_a, caseworker, monkeypatch):
    """What a worker's caller sees while a rotation runs: PROGRESS states naming each step and its counts."""
    from keys.tasks import rotate_keys_task

    make_case(actor=caseworker)
    _use(settings, f"{KEY_A},{KEY_B}")
    states = []
    monkeypatch.setattr(rotate_keys_task, "update_state", lambda state, meta: states.append((state, meta)))
    rotate_keys_task.push_request(id="rotation-test", is_eager=False)
    try:
        rotate_keys_task.run()
    finally:
        rotate_keys_task.pop_request()
    keys = ProtectionKey.objects.count()
    assert ("PROGRESS", {"done": keys, "total": keys, "label": "protected field and index keys"}) in states
