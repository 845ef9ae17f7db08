import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from audit import actions
from audit.models import AuditEvent
from cases.models import Case, Consent, Event, Location, Perpetrator, Source


@pytest.fixture
def seeded(db, settings, capsys):
    settings.DALIL_DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo", "--allow-demo")
    return capsys.readouterr().out


def test_seed_demo_creates_users_and_varied_cases(seeded):
    assert Case.objects.count() >= 40
    nationalities = set(Case.objects.values_list("person__nationality", flat=True))
    assert {"UZ", "TJ", "KG", "KZ"} <= nationalities and len(nationalities) > 4
    assert set(Event.objects.values_list("type", flat=True)) == set(Event.Type.values)
    assert set(Location.objects.values_list("facility_type", flat=True)) >= {"sizo", "police", "recruitment"}
    assert Perpetrator.objects.count() >= 5 and Source.objects.exists() and Consent.objects.exists()
    cyrillic_names = [case.person.name_cyrillic for case in Case.objects.select_related("person")]
    assert sum(bool(re.search("[А-Яа-я]", name)) for name in cyrillic_names) >= 30
    for username in ("caseworker1", "caseworker2", "legal1", "admin1"):
        user = get_user_model().objects.get(username=username)
        assert user.check_password("demo-password-for-tests")
        assert username in seeded
    assert "demo-password-for-tests" in seeded
    assert AuditEvent.objects.filter(action=actions.DEMO_SEEDED).count() == 1
    assert AuditEvent.objects.filter(action=actions.CASE_CREATED).count() == Case.objects.count()


def test_seed_demo_puts_users_in_their_role_groups(seeded):
    from django.contrib.auth.models import Group

    for username, role in (("caseworker1", "caseworker"), ("legal1", "legal"), ("admin1", "admin")):
        if Group.objects.filter(name=role).exists():
            assert get_user_model().objects.get(username=username).groups.filter(name=role).exists()


def test_seed_demo_twice_does_not_duplicate(seeded, capsys):
    counts = (Case.objects.count(), Event.objects.count(), Location.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", "--allow-demo")
    out = capsys.readouterr().out
    assert "already present" in out.lower()
    assert (Case.objects.count(), Event.objects.count(), Location.objects.count(), get_user_model().objects.count()) == counts
    assert "caseworker1" in out  # the logins are printed every time
