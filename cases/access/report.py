"""Who holds access to a case and why (the access page): read-only, and no case content."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from accounts.roles import roles_of
from cases.access.rules import grantable_perms
from cases.models import Case, CaseAssignment


@dataclass
class AccessRow:
    """One line of "who has access to this case and why"."""

    holder: str
    kind: str  # "user" or "group"
    perms: list[str]
    reason: str = ""
    granted_by: str = ""
    granted_at: object = None
    effective: list[str] = field(default_factory=list)
    note: str = ""
    user: object = None


def case_access_report(case: Case) -> list[AccessRow]:
    """Every grant on the case, why it exists, and which permissions are in force now."""
    rows: dict = {}
    grants = CaseUserObjectPermission.objects.filter(content_object=case).select_related("user", "permission")
    assignments = {a.user_id: a for a in CaseAssignment.objects.filter(case=case).select_related("assigned_by")}
    role_perms: dict[int, set[str]] = {}
    for grant in grants:
        user = grant.user
        row = rows.get(("user", user.pk))
        if row is None:
            assignment = assignments.get(user.pk)
            row = rows[("user", user.pk)] = AccessRow(
                holder=user.get_username(), kind="user", perms=[], user=user,
                reason=assignment.reason if assignment else "",
                granted_by=assignment.assigned_by.get_username() if assignment and assignment.assigned_by else "",
                granted_at=assignment.assigned_at if assignment else None,
            )
            role_perms[user.pk] = grantable_perms(user)
            if not user.is_active:
                row.note = "deactivated"
            elif not roles_of(user):
                row.note = "no role"
        row.perms.append(grant.permission.codename)
        if grant.permission.codename in role_perms[user.pk]:
            row.effective.append(grant.permission.codename)
    for grant in CaseGroupObjectPermission.objects.filter(content_object=case).select_related("group", "permission"):
        row = rows.setdefault(("group", grant.group_id), AccessRow(holder=grant.group.name, kind="group", perms=[], reason="group grant"))
        row.perms.append(grant.permission.codename)
        if not case.is_sensitive:
            row.effective.append(grant.permission.codename)
        else:
            row.note = "ignored: the case is sensitive"
    return sorted(rows.values(), key=lambda r: (r.kind != "user", r.holder))


def cases_by_reference_for_management(references: Iterable[str]) -> QuerySet[Case]:
    """Cases named by reference for an access manager: reference and flags only, never content."""
    return Case.objects.filter(reference__in=list(references)).only("id", "reference", "is_sensitive", "status")
