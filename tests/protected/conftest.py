import pytest

from accounts.roles import CASEWORKER
from keys import store
from keys import ring
from keys.keyfile import key_line
from keys.purposes import KEK
from tests.cast import role_user

KEY_A = key_line(KEK, "kek-a", b"\x11" * 32)
KEY_B = key_line(KEK, "kek-b", b"\x22" * 32)


@pytest.fixture(autouse=True)
def _fresh_keys():
    """Each test starts without cached field keys: key rows roll back with the test database."""
    store.forget_keys()
    ring.reset()
    yield
    store.forget_keys()
    ring.reset()


@pytest.fixture
def kek_a(settings):
    settings.DALIL_KEK = KEY_A
    ring.reset()
    return "kek-a"


@pytest.fixture
def caseworker(db):
    """The author of every case these tests make, and so the one who finds them: not the shared cast, whose own
    case (a Rustam Nysanbaev) the name searches would find too. No password: no one signs in."""
    return role_user(CASEWORKER, username="sealer", password=None)
