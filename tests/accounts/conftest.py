import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~0.1 s a hash by design; these tests sign in dozens of times.
    test_passwords_are_hashed_with_argon2 checks the real configuration."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
