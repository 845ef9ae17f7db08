"""RFC 3161 time-stamps over checkpoints and intake hash batches, from a local authority made with `openssl ts`."""

import pytest

from audit import checkpoints, proofs, tasks, timestamps
from audit.models import AuditTimestamp
from tests.audit.conftest import add_events
from tests.audit.test_views import admin_client  # noqa: F401 - a fixture
from tests.audit.tsa import LocalTSA


@pytest.fixture
def tsa(settings):
    with LocalTSA() as authority:
        settings.DALIL_TSA_URL = authority.url
        settings.DALIL_TSA_CA_FILE = authority.ca_file
        yield authority


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_a_checkpoint_is_stamped_and_the_standalone_verifier_checks_the_stamp(user, settings, key_type):
    with LocalTSA(key_type=key_type) as authority:
        settings.DALIL_TSA_URL, settings.DALIL_TSA_CA_FILE = authority.url, authority.ca_file
        add_events(user, 3)
        row = checkpoints.checkpoint_create()
        made = timestamps.stamp(row)
    assert [t.kind for t in made] == ["checkpoint"]  # no evidence was received: no intake batch
    stamp = made[0]
    when, who = proofs.check_timestamp(row.note.encode(), bytes(stamp.response))
    assert when.startswith(str(stamp.gen_time.year)) and "CN=Test TSA" in who
    with pytest.raises(proofs.ProofError, match="over something else"):
        proofs.check_timestamp(row.note.replace("\n3\n", "\n4\n").encode(), bytes(stamp.response))
    forged = bytearray(stamp.response)
    forged[-5] ^= 1  # inside the signature
    with pytest.raises(proofs.ProofError):
        proofs.check_timestamp(row.note.encode(), bytes(forged))
    assert timestamps.stamp(row) == []  # stamped once


def test_an_unreachable_authority_never_stops_a_checkpoint_and_beat_stamps_it_later(user, tsa, django_capture_on_commit_callbacks):
    tsa.down = True
    add_events(user, 2)
    with django_capture_on_commit_callbacks(execute=True):
        row = checkpoints.checkpoint_create()
    assert row is not None and not row.timestamps.exists()
    assert tasks.audit_timestamp() == 0
    tsa.down = False
    assert tasks.audit_timestamp() == 1
    assert timestamps.last_stamped().checkpoint == row


def test_the_audit_page_shows_the_last_stamped_checkpoint(user, tsa, admin_client):
    add_events(user, 2)
    row = checkpoints.checkpoint_create()
    timestamps.stamp(row)
    page = admin_client.get("/audit/").content.decode()
    assert f"checkpoint of {row.tree_size} events" in page and "time-stamped" in page


def test_the_stamp_tables_are_append_only(user, tsa):
    from django.db import IntegrityError, transaction

    add_events(user, 1)
    stamp = timestamps.stamp(checkpoints.checkpoint_create())[0]
    with pytest.raises((IntegrityError, Exception), match="append-only"), transaction.atomic():
        AuditTimestamp.objects.filter(pk=stamp.pk).update(gen_time=stamp.gen_time.replace(year=2000))
