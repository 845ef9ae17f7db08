"""The one cast of test users, shared by every test folder, built through the real services (accounts.services,
cases.access): the `cast` fixture of tests/conftest.py, and make_user/role_user for a folder's extra people."""

from dataclasses import dataclass

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import factors, services
from accounts.roles import ADMIN, CASEWORKER, LEGAL, second_factor_required, security_key_required
from accounts.signals import AUTH_AT_SESSION_KEY
from cases import access
from tests.factories import PASSWORD, make_case


@dataclass
class Cast:
    caseworker1: object
    caseworker2: object
    legal1: object
    admin1: object
    outsider: object
    case: object | None  # caseworker1's case, shared with legal1 (None when built without cases)
    other_case: object | None  # the outsider's own case (None when built without cases)


def make_user(username: str, *roles: str, password: str | None = PASSWORD):
    return services.user_create(actor=None, system="tests", username=username, roles=roles, password=password, email=f"{username}@example.org")


def role_user(role: str, *, username: str, password: str | None = PASSWORD):
    """One more user in one role, made as the cast is (the groups made again if a flush removed them)."""
    ensure_roles()
    return make_user(username, role, password=password)


def unrecorded_user(username: str | None = None):
    """A user made without the account service, so with no `account.created` row and no username check: only for
    the audit log's own tests (tests/audit), which number, count and prove the log from an empty first row, and
    write actor labels the username validator refuses."""
    from tests.factories import UserFactory

    return UserFactory(**({"username": username} if username else {}))


def ensure_roles() -> None:
    """Re-create the role groups if a transactional test's flush removed them (as after every migrate)."""
    from django.contrib.auth.models import Group

    from accounts.role_groups import sync_role_groups
    from accounts.roles import ROLES

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        sync_role_groups()


def build_cast(*, cases: bool = True, password: str | None = PASSWORD) -> Cast:
    """The five people; `cases=False` leaves out their two cases, for a folder whose tests count every case and
    make their own; `password=None` spares five Argon2 hashes where every test signs in with force_login."""
    ensure_roles()
    caseworker1 = make_user("caseworker1", CASEWORKER, password=password)
    caseworker2 = make_user("caseworker2", CASEWORKER, password=password)
    legal1 = make_user("legal1", LEGAL, password=password)
    admin1 = make_user("admin1", ADMIN, password=password)
    outsider = make_user("outsider", CASEWORKER, password=password)
    if not cases:
        return Cast(caseworker1, caseworker2, legal1, admin1, outsider, None, None)
    case = make_case(actor=caseworker1)
    access.case_share_with_legal(actor=caseworker1, case=case, user=legal1)
    other_case = make_case(actor=outsider, name_latin="Bakhtiyor Qodirov", name_cyrillic="Бахтиёр Кодиров", nationality="UZ")
    return Cast(caseworker1, caseworker2, legal1, admin1, outsider, case, other_case)


def enrol_totp(user):
    """Give the user a confirmed authenticator app, through the real enrolment service."""
    device = factors.totp_device_pending(user=user)
    assert factors.totp_confirm(actor=user, device=device, token=str(totp(device.bin_key)).zfill(6))
    device.refresh_from_db()
    return device


def enrolment_link(user) -> str:
    """A one-time enrolment link for `user`, as an admin would issue it (its path)."""
    return factors.enrolment_link_issue(actor=None, user=user)


def sign_in(client, user, *, second_factor: bool = True):
    """Sign the test client in as `user`, passing the second step when their role needs one.

    Uses force_login (no password typing) and then marks the session verified with a
    real TOTP device, exactly as django-otp's login() does after a correct code.
    """
    user.refresh_from_db()  # the session hash includes session_generation, which a test may have raised
    client.force_login(user)
    if second_factor and (second_factor_required(user) and not security_key_required(user)):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def make_stale(client) -> None:
    """Make the client's last password entry old, so recent_login_required asks again."""
    session = client.session
    session[AUTH_AT_SESSION_KEY] = 0
    session.save()
