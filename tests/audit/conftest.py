import base64

import pytest

from tests.factories import UserFactory

CHAIN_KEY = base64.b64encode(b"k" * 32).decode()
SIGNING_KEY = base64.b64encode(b"s" * 32).decode()


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
    return UserFactory()
