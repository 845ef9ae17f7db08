"""The API's cast (two caseworkers, a legal user, an admin, an outsider with no role), made as the shared cast
is (tests/cast.py: make_user, the real service), with no case of the shared cast's, and a token client for each."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import ADMIN, CASEWORKER, LEGAL
from api.services import token_issue
from tests.cast import make_user
from tests.factories import make_case


@pytest.fixture
def cast(db):
    return {
        "caseworker": make_user("cw_amina", CASEWORKER, password=None),
        "caseworker2": make_user("cw_bakyt", CASEWORKER, password=None),
        "legal": make_user("legal_dana", LEGAL, password=None),
        "admin": make_user("admin_erlan", ADMIN, password=None),
        "outsider": make_user("outsider", password=None),
    }


@pytest.fixture
def case(cast):
    return make_case(actor=cast["caseworker"])


def client_for(user, *, scope="intake", days=30):
    token, raw = token_issue(actor=None, user=user, scope=scope, days=days, system="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.token = token
    client.raw = raw
    return client


@pytest.fixture
def api(cast):
    """api("caseworker", scope="read") -> an APIClient holding a fresh token of that user."""

    def make(who, *, scope="intake", days=30):
        return client_for(cast[who], scope=scope, days=days)

    return make




@pytest.fixture(autouse=True)
def _local_kek(settings, monkeypatch, tmp_path):
    """Evidence is wrapped with a key of this test's own, never the development key under var/."""
    import secrets

    from keys import ring
    from keys.keyfile import key_line
    from keys.purposes import KEK

    for name in ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KEK_CURRENT", "DALIL_KMS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    settings.DALIL_KEK = key_line(KEK, "test-1", secrets.token_bytes(32))
    ring.reset()
    yield
    ring.reset()
