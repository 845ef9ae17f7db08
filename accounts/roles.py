"""The three roles, what each may do on a case it is granted, and who must use a second factor."""

from django.conf import settings

CASEWORKER = "caseworker"
LEGAL = "legal"
ADMIN = "admin"
ROLES = (CASEWORKER, LEGAL, ADMIN)

# Per-case permissions (django-guardian object permissions on cases.Case). A grant only
# counts while its holder also has a role carrying the same model permission, so removing
# a role takes effect on the next request without touching the grants.
CASE_PERMS = ("view_case", "change_case", "download_evidence", "prepare_referral")
CASEWORKER_CASE_PERMS = CASE_PERMS
LEGAL_CASE_PERMS = ("view_case", "download_evidence", "prepare_referral")
ADMIN_CASE_PERMS = ("view_case",)  # an admin reads a case only through an audited self-grant

# The model permissions of each role group are set by migration 0003_roles.


def roles_of(user) -> set[str]:
    """The role names the user holds now (one query, remembered on this request's user object only)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_dalil_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._dalil_roles = cached
    return cached


def is_admin(user) -> bool:
    return bool(getattr(user, "is_active", False)) and (user.is_superuser or ADMIN in roles_of(user))


def second_factor_required(user) -> bool:
    required = set(settings.DALIL_2FA_REQUIRED_FOR)
    if "everyone" in required or user.is_superuser:
        return True
    return bool(roles_of(user) & required)


def security_key_required(user) -> bool:
    return settings.DALIL_ADMIN_REQUIRE_SECURITY_KEY and (user.is_superuser or ADMIN in roles_of(user))
