"""Keys tests: every test has its own data folder and no configured key, so that only what it sets is there."""

import pytest

from keys import ring, store

KEY_SETTINGS = (
    "DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KEK_CURRENT", "DALIL_KMS_KEY_ID", "DALIL_KMS_ENDPOINT_URL",
    "DALIL_AUDIT_KEY", "DALIL_AUDIT_SIGNING_KEY", "DALIL_TOKEN_PEPPER", "DALIL_INTAKE_KEY",
)


@pytest.fixture(autouse=True)
def _own_keys(settings, tmp_path):
    for name in KEY_SETTINGS:
        setattr(settings, name, "")
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ring.reset()
    store.forget_keys()
    yield
    ring.reset()
    store.forget_keys()
