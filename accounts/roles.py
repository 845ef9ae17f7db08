"""The roles, each described once: its label, model permissions, the case grants that count for it, whether it
sees counts over all cases and the published lists, and whether it must use a second factor.

Everything else reads this declaration: the role groups and their permissions (accounts.role_groups, after
every migrate), the grant rules (cases.access), the aggregate and list rules (patterns.access,
patterns.selectors), the role choices of the forms, the second-factor default and the access tests. Adding a
role is one entry in ROLES (and its label in the catalogues); docs/architecture.md has the recipe.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CASEWORKER = "caseworker"
LEGAL = "legal"
ADMIN = "admin"

# Per-case permissions (django-guardian object permissions on cases.Case). A grant only
# counts while its holder also has a role carrying the same model permission, so removing
# a role takes effect on the next request without touching the grants.
CASE_PERMS = ("view_case", "change_case", "download_evidence", "prepare_referral")

# Counts over every case without opening any (the dashboard and the research export).
AGGREGATE_PERMISSION = "patterns.view_aggregates"


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    # Model permissions ("app.codename") its group carries, besides those of case_perms and aggregates.
    permissions: tuple[str, ...]
    # The per-case grants that count for it; () means it never sees a case, a case list or a person.
    case_perms: tuple[str, ...] = ()
    # Counts over all cases (AGGREGATE_PERMISSION): dashboard and research export, never a case.
    aggregates: bool = False
    # The published lists (names of real people matched against cases).
    lists: bool = False
    # In the default of DALIL_2FA_REQUIRED_FOR: its members sign in with a second factor.
    second_factor: bool = False

    def __post_init__(self):
        unknown = set(self.case_perms) - set(CASE_PERMS)
        if unknown or any(perm.count(".") != 1 for perm in self.permissions):
            raise ValueError(f"Role {self.name}: case permissions are {CASE_PERMS}, model permissions 'app.codename'")

    def group_permissions(self) -> set[str]:
        perms = set(self.permissions) | {f"cases.{p}" for p in self.case_perms}
        if self.aggregates:
            perms.add(AGGREGATE_PERMISSION)
        return perms


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            CASEWORKER, _("Caseworker"), case_perms=CASE_PERMS, lists=True,
            permissions=("cases.add_case", "cases.add_location", "cases.view_location", "cases.add_perpetrator",
                         "cases.view_perpetrator", "intake.triage", "cases.add_contact", "cases.change_contact",
                         "cases.view_contact", "cases.add_event", "cases.change_event", "cases.view_event",
                         "cases.add_source", "cases.change_source", "cases.view_source", "cases.add_consent",
                         "cases.change_consent", "cases.view_consent"),
        ),
        Role(
            LEGAL, _("Legal"), case_perms=("view_case", "download_evidence", "prepare_referral"),
            permissions=("cases.view_location", "cases.view_perpetrator"),
            aggregates=True, lists=True, second_factor=True,
        ),
        Role(
            # An admin reads a case only through an audited self-grant (cases.access.case_grant_self).
            ADMIN, _("Admin"), case_perms=("view_case",),
            permissions=("accounts.manage_users", "accounts.manage_access", "accounts.view_user", "accounts.add_user",
                         "accounts.change_user", "auth.view_group"),
            aggregates=True, lists=True, second_factor=True,
        ),
    )
}


def role_names() -> tuple[str, ...]:
    return tuple(ROLES)


def role_choices() -> list[tuple[str, str]]:
    """(name, label) of every role, for a form's choices."""
    return [(role.name, role.label) for role in ROLES.values()]


def role_label(name: str) -> str:
    role = ROLES.get(name)
    return role.label if role else name


def case_perms_of(names: Iterable[str]) -> set[str]:
    """The case permissions a grant may carry for a holder of these roles (unknown names carry none)."""
    return {perm for name in names if name in ROLES for perm in ROLES[name].case_perms}


def second_factor_role_names() -> tuple[str, ...]:
    return tuple(role.name for role in ROLES.values() if role.second_factor)


def roles_of(user) -> set[str]:
    """The role names the user holds now (one query, remembered on this request's user object only)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_dalil_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=role_names()).values_list("name", flat=True))
        user._dalil_roles = cached
    return cached


def role_annotations() -> dict:
    """For the query that loads a signed-in user (accounts.backends.UserBackend): one flag per role."""
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef

    return {f"_dalil_role_{role}": Exists(Group.objects.filter(user=OuterRef("pk"), name=role)) for role in ROLES}


def remember_roles(user) -> None:
    """Keep the flags role_annotations() brought as this request's roles_of(user)."""
    user._dalil_roles = {role for role in ROLES if user.__dict__.pop(f"_dalil_role_{role}", False)}


def is_admin(user) -> bool:
    return bool(getattr(user, "is_active", False)) and (user.is_superuser or ADMIN in roles_of(user))


def sees_lists(user) -> bool:
    """Whether the user may open the published lists (a role that says so, or a superuser)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or any(ROLES[name].lists for name in roles_of(user))


def second_factor_required(user) -> bool:
    required = settings.DALIL_2FA_REQUIRED_FOR
    required = set(second_factor_role_names() if required is None else required)
    if "everyone" in required or user.is_superuser:
        return True
    return bool(roles_of(user) & required)


def security_key_required(user) -> bool:
    return settings.DALIL_ADMIN_REQUIRE_SECURITY_KEY and (user.is_superuser or ADMIN in roles_of(user))
