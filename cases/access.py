"""Per-case access rules in one place (Wagtail-style permission policy).

A user may act on a case when BOTH hold:
  - a per-case grant: a django-guardian object permission on the case, given directly to
    the user (an assignment) or to one of their groups (bulk access, e.g. the `legal` group
    for cases shared with all legal staff). Group grants never open a *sensitive* case:
    only its named assignees (direct grants) may see it.
  - a role (group caseworker / legal / admin) carrying the same model permission, so that
    removing a role ends the access on the very next request.
Reads go through cases.selectors.cases_for, which expresses exactly this in one query.

Public services here are keyword-only, durable, and audit every grant added or removed
(one event per case changed, so each case's history shows who was given access and why).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from accounts.roles import (
    ADMIN,
    ADMIN_CASE_PERMS,
    CASE_PERMS,
    CASEWORKER,
    CASEWORKER_CASE_PERMS,
    LEGAL,
    LEGAL_CASE_PERMS,
    roles_of,
)
from audit import actions
from audit.services import audit_record
from cases.models import Case, CaseAssignment

# Why a user holds a grant (CaseAssignment.reason).
REASON_CREATOR = "creator"
REASON_ASSIGNED = "assigned"
REASON_SHARED_LEGAL = "shared_with_legal"
REASON_REFERRAL = "referral_request"
REASON_SELF_GRANT = "admin_self_grant"
REASON_GRANTED = "granted"

ROLE_CASE_PERMS = {CASEWORKER: CASEWORKER_CASE_PERMS, LEGAL: LEGAL_CASE_PERMS, ADMIN: ADMIN_CASE_PERMS}


class AccessError(ValueError):
    """A grant the rules forbid (wrong role, sensitive case...); the message says why."""


def _permissions(perms: Iterable[str]) -> list[Permission]:
    perms = list(perms)
    unknown = set(perms) - set(CASE_PERMS)
    if unknown:
        raise AccessError(f"Unknown case permission: {', '.join(sorted(unknown))}")
    return list(Permission.objects.filter(content_type__app_label="cases", content_type__model="case", codename__in=perms))


def _grant_user(case: Case, user, perms: Iterable[str], *, reason: str, actor) -> list[str]:
    have = set(
        CaseUserObjectPermission.objects.filter(user=user, content_object=case).values_list("permission__codename", flat=True)
    )
    new = [p for p in _permissions(perms) if p.codename not in have]
    CaseUserObjectPermission.objects.bulk_create(
        [CaseUserObjectPermission(user=user, content_object=case, permission=p) for p in new]
    )
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, user=user, defaults={"reason": reason, "assigned_by": actor if getattr(actor, "pk", None) else None}
    )
    if not created and new and assignment.reason != reason:
        assignment.reason = reason
        assignment.save(update_fields=["reason"])
    return sorted(p.codename for p in new)


def _revoke_user(case: Case, user, perms: Iterable[str] | None) -> list[str]:
    grants = CaseUserObjectPermission.objects.filter(user=user, content_object=case)
    if perms is not None:
        grants = grants.filter(permission__codename__in=list(perms))
    removed = sorted(grants.values_list("permission__codename", flat=True))
    grants.delete()
    if not CaseUserObjectPermission.objects.filter(user=user, content_object=case).exists():
        CaseAssignment.objects.filter(case=case, user=user).delete()
    return removed


def _require_role(user, role: str) -> None:
    if not user.is_active:
        raise AccessError(f"{user.get_username()} is deactivated.")
    if role not in roles_of(user):
        raise AccessError(f"{user.get_username()} does not have the {role} role.")


def on_case_created(*, case: Case, actor) -> None:
    """Called inside case_create's transaction: the creator becomes the case's first assignee.

    Recorded by case_create's own case.created event (its actor is the assignee).
    """
    if getattr(actor, "pk", None) is not None:
        _grant_user(case, actor, CASEWORKER_CASE_PERMS, reason=REASON_CREATOR, actor=actor)


@transaction.atomic(durable=True)
def case_assign(*, actor, user, cases: Iterable[Case]) -> list[Case]:
    """Assign a caseworker to one or many cases (full caseworker grants). Caller holds manage_access. Audit: access.grant.added per case."""
    _require_role(user, CASEWORKER)
    changed = []
    for case in cases:
        added = _grant_user(case, user, CASEWORKER_CASE_PERMS, reason=REASON_ASSIGNED, actor=actor)
        if added:
            changed.append(case)
            audit_record(
                actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case,
                data={"user": user.get_username(), "perms": added, "reason": REASON_ASSIGNED},
            )
    return changed


@transaction.atomic(durable=True)
def case_unassign(*, actor, user, cases: Iterable[Case]) -> list[Case]:
    """Take every grant of a user on one or many cases. Caller holds manage_access. Audit: access.grant.removed per case."""
    changed = []
    for case in cases:
        removed = _revoke_user(case, user, None)
        if removed:
            changed.append(case)
            audit_record(
                actor=actor, action=actions.ACCESS_GRANT_REMOVED, target=case,
                data={"user": user.get_username(), "perms": removed},
            )
    return changed


@transaction.atomic(durable=True)
def case_share_with_legal(*, actor, case: Case, user=None, reason: str = REASON_SHARED_LEGAL) -> list[str]:
    """Share a case with one legal user, or (user=None) with all legal staff.

    Caller holds change_case on the case or manage_access. A sensitive case can only be
    shared with a named legal user. Audit: access.grant.added.
    """
    if user is None:
        # Read the flag under a lock: a case marked sensitive a moment ago must not be shared.
        case = Case.objects.select_for_update().only("id", "reference", "is_sensitive").get(pk=case.pk)
        if case.is_sensitive:
            raise AccessError("A sensitive case can only be shared with a named person, not with all legal staff.")
        group = Group.objects.get(name=LEGAL)
        have = set(
            CaseGroupObjectPermission.objects.filter(group=group, content_object=case).values_list("permission__codename", flat=True)
        )
        new = [p for p in _permissions(LEGAL_CASE_PERMS) if p.codename not in have]
        CaseGroupObjectPermission.objects.bulk_create(
            [CaseGroupObjectPermission(group=group, content_object=case, permission=p) for p in new]
        )
        added = sorted(p.codename for p in new)
        who = {"group": LEGAL}
    else:
        _require_role(user, LEGAL)
        added = _grant_user(case, user, LEGAL_CASE_PERMS, reason=reason, actor=actor)
        who = {"user": user.get_username()}
    if added:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case, data={**who, "perms": added, "reason": reason})
    return added


@transaction.atomic(durable=True)
def case_unshare_with_legal(*, actor, case: Case, user=None) -> list[str]:
    """Stop sharing a case with one legal user or with all legal staff. Audit: access.grant.removed."""
    if user is None:
        grants = CaseGroupObjectPermission.objects.filter(group__name=LEGAL, content_object=case)
        removed = sorted(grants.values_list("permission__codename", flat=True))
        grants.delete()
        who = {"group": LEGAL}
    else:
        removed = _revoke_user(case, user, None)
        who = {"user": user.get_username()}
    if removed:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_REMOVED, target=case, data={**who, "perms": removed})
    return removed


@transaction.atomic(durable=True)
def case_grant(*, actor, case: Case, user, perms: Iterable[str], reason: str = REASON_GRANTED) -> list[str]:
    """Grant some case permissions to a user; each must be one their roles carry. Audit: access.grant.added."""
    perms = sorted(set(perms))
    allowed = set().union(*(ROLE_CASE_PERMS[r] for r in roles_of(user))) if roles_of(user) else set()
    if not user.is_active or not set(perms) <= allowed:
        raise AccessError(f"{user.get_username()}'s roles do not allow {', '.join(sorted(set(perms) - allowed)) or 'access'}.")
    added = _grant_user(case, user, perms, reason=reason, actor=actor)
    if added:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case, data={"user": user.get_username(), "perms": added, "reason": reason})
    return added


@transaction.atomic(durable=True)
def case_revoke(*, actor, case: Case, user, perms: Iterable[str] | None = None) -> list[str]:
    """Take some (None: all) of a user's grants on a case. Takes effect on their next request. Audit: access.grant.removed."""
    removed = _revoke_user(case, user, None if perms is None else list(perms))
    if removed:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_REMOVED, target=case, data={"user": user.get_username(), "perms": removed})
    return removed


def case_grant_self(*, actor, case: Case) -> list[str]:
    """An admin who must read a case grants themself view access, visibly. Audit: access.grant.added (admin_self_grant)."""
    if ADMIN not in roles_of(actor):
        raise AccessError("Only an admin can grant themself access to a case.")
    return case_grant(actor=actor, case=case, user=actor, perms=ADMIN_CASE_PERMS, reason=REASON_SELF_GRANT)


@transaction.atomic(durable=True)
def case_set_sensitive(*, actor, case: Case, sensitive: bool) -> bool:
    """Mark a case sensitive (only named assignees see it) or not. Caller holds change_case or manage_access.
    Audit: access.case.sensitivity_changed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_sensitive == sensitive:
        return False
    case.is_sensitive = sensitive
    case.save(update_fields=["is_sensitive"])
    audit_record(actor=actor, action=actions.ACCESS_SENSITIVITY_CHANGED, target=case, fields=["is_sensitive"], data={"sensitive": sensitive})
    return True


# --- Questions about access ----------------------------------------------------


def case_perms_for(user, case: Case) -> set[str]:
    """The case permissions the user holds on this case now (the same rules as cases_for), asked afresh."""
    from cases.selectors import case_perms

    return set(case_perms(user, case, fresh=True))


def has_case_perm(user, case: Case, perm: str) -> bool:
    return perm in case_perms_for(user, case)


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
            role_perms[user.pk] = set().union(*(ROLE_CASE_PERMS[r] for r in roles_of(user))) if user.is_active else set()
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
