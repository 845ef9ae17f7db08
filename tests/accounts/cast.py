"""Moved to tests/cast.py (the one cast, shared by every test folder); kept so that work begun before the move
still imports. Import from tests.cast."""

from tests.cast import *  # noqa: F401,F403
from tests.cast import build_cast, enrol_totp, enrolment_link, make_stale, make_user, role_user, sign_in  # noqa: F401
