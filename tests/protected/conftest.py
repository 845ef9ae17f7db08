import pytest

from keys import store
from keys import ring
from keys.keyfile import key_line
from keys.purposes import KEK

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
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)
