"""The API's people are the shared cast (tests/cast.py) without its two cases, plus a role-less `nobody`; the one
case is caseworker1's `case`, shared with no one; and a token client for each."""

import pytest
from rest_framework.test import APIClient

from api.services import token_issue
from tests.cast import build_cast, make_user
from tests.factories import make_case


@pytest.fixture
def cast(db):
    """caseworker1, caseworker2, legal1, admin1 and outsider, with no case: these tests count the cases they list,
    and legal1 must not hold the shared cast's case. No passwords: tokens and force_login need none."""
    return build_cast(cases=False, password=None)


@pytest.fixture
def nobody(db):
    """A signed-up user with no role at all (the shared outsider is a caseworker)."""
    return make_user("nobody", password=None)


@pytest.fixture
def case(cast):
    return make_case(actor=cast.caseworker1)


def client_for(user, *, scope="intake", days=30):
    token, raw = token_issue(actor=None, user=user, scope=scope, days=days, system="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.token = token
    client.raw = raw
    return client


@pytest.fixture
def api(cast, request):
    """api("caseworker1", scope="read") -> an APIClient holding a fresh token of that member of the cast ("nobody":
    the role-less user)."""

    def make(who, *, scope="intake", days=30):
        user = request.getfixturevalue("nobody") if who == "nobody" else getattr(cast, who)
        return client_for(user, scope=scope, days=days)

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
