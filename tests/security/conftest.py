# Argon2 by design costs ~0.1 s a hash; the attackers here sign in many times (as in tests/accounts).
from tests.accounts.conftest import _fast_password_hashing  # noqa: F401
