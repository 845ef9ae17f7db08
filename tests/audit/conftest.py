import contextlib

import pytest
from django.db import connection, transaction

from audit import triggers
from keys.keyfile import key_line
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING
from tests.cast import unrecorded_user

CHAIN_KEY = key_line(AUDIT_CHAIN, "chain-test", b"k" * 32)
SIGNING_KEY = key_line(AUDIT_SIGNING, "signing-test", b"s" * 32)


@pytest.fixture(autouse=True)
def audit_keys(settings, tmp_path):
    """Fixed test keys, and a checkpoint directory of the test's own."""
    settings.DALIL_AUDIT_KEY = CHAIN_KEY
    settings.DALIL_AUDIT_SIGNING_KEY = SIGNING_KEY
    settings.DALIL_AUDIT_ORIGIN = "test.dalil/audit"
    settings.DALIL_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.DALIL_AUDIT_CHECKPOINT_EMAIL = []
    settings.DALIL_AUDIT_WITNESS_URL = ""
    return settings


@pytest.fixture
def user(db):
    """An actor whose creation left no row: these tests number and count the log from its first event."""
    return unrecorded_user()


@contextlib.contextmanager
def as_database_admin():
    """What someone with owner rights on the database can do: lift the triggers, rewrite rows."""
    triggers.remove(connection)
    try:
        yield connection
    finally:
        triggers.install(connection)


def add_events(user, n, action="case.viewed"):
    from audit.services import audit_record

    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(audit_record(actor=user, action=action, data={"i": i}))
    return events
