"""The rules of per-case access: which grants a role may hold, why a grant exists, and what a user holds now.

The roles and the case permissions each may be granted are declared in accounts/roles.py.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission

from accounts.roles import CASE_PERMS, case_perms_of, roles_of
from cases.models import Case

# Why a user holds a grant (CaseAssignment.reason).
REASON_CREATOR = "creator"
REASON_ASSIGNED = "assigned"
REASON_SHARED_LEGAL = "shared_with_legal"
REASON_REFERRAL = "referral_request"
REASON_SELF_GRANT = "admin_self_grant"
REASON_GRANTED = "granted"


class AccessError(ValueError):
    """A grant the rules forbid (wrong role, sensitive case...); the message says why."""


def permission_rows(perms: Iterable[str]) -> list[Permission]:
    """The Permission rows of these case permissions; an unknown name is refused."""
    perms = list(perms)
    unknown = set(perms) - set(CASE_PERMS)
    if unknown:
        raise AccessError(f"Unknown case permission: {', '.join(sorted(unknown))}")
    return list(Permission.objects.filter(content_type__app_label="cases", content_type__model="case", codename__in=perms))


def grantable_perms(user) -> set[str]:
    """The case permissions a grant to this user counts for now: those its roles carry (none when deactivated)."""
    return case_perms_of(roles_of(user)) if user.is_active else set()


def require_role(user, role: str) -> None:
    if not user.is_active:
        raise AccessError(f"{user.get_username()} is deactivated.")
    if role not in roles_of(user):
        raise AccessError(f"{user.get_username()} does not have the {role} role.")


def case_perms_for(user, case: Case) -> set[str]:
    """The case permissions the user holds on this case now (the same rules as cases_for), asked afresh."""
    from cases.selectors import case_perms

    return set(case_perms(user, case, fresh=True))


def has_case_perm(user, case: Case, perm: str) -> bool:
    return perm in case_perms_for(user, case)
