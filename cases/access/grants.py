"""The writes of per-case access: grants added and removed, sensitivity changed.

Public services here are keyword-only, durable, and audit every grant added or removed
(one event per case changed, so each case's history shows who was given access and why).
The rules they apply are in cases/access/rules.py and accounts/roles.py.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from accounts.roles import ADMIN, CASEWORKER, LEGAL, ROLES, roles_of
from audit import actions
from audit.services import audit_record
from cases.access.rules import (
    REASON_ASSIGNED,
    REASON_CREATOR,
    REASON_GRANTED,
    REASON_SELF_GRANT,
    REASON_SHARED_LEGAL,
    AccessError,
    grantable_perms,
    permission_rows,
    require_role,
)
from cases.models import Case, CaseAssignment
from common.transactions import service

# Apps above this layer (casework's notifications) are told who was newly given a case, inside the granting
# transaction, so that what they write commits or rolls back with the grant.
_grant_listeners: list = []


def on_access_given(listener):
    """Register listener(case=, users=, actor=), called when people are newly given access to a case."""
    if listener not in _grant_listeners:
        _grant_listeners.append(listener)
    return listener


def _tell(case: Case, users, actor) -> None:
    for listener in _grant_listeners:
        listener(case=case, users=list(users), actor=actor)


def _grant_user(case: Case, user, perms: Iterable[str], *, reason: str, actor) -> list[str]:
    have = set(
        CaseUserObjectPermission.objects.filter(user=user, content_object=case).values_list("permission__codename", flat=True)
    )
    new = [p for p in permission_rows(perms) if p.codename not in have]
    CaseUserObjectPermission.objects.bulk_create(
        [CaseUserObjectPermission(user=user, content_object=case, permission=p) for p in new]
    )
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, user=user, defaults={"reason": reason, "assigned_by": actor if getattr(actor, "pk", None) else None}
    )
    if not created and new and assignment.reason != reason:
        assignment.reason = reason
        assignment.save(update_fields=["reason"])
    if created and reason != REASON_CREATOR:
        _tell(case, [user], actor)
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


def on_case_created(*, case: Case, actor) -> None:
    """Called inside case_create's transaction: the creator becomes the case's first assignee.

    Recorded by case_create's own case.created event (its actor is the assignee).
    """
    if getattr(actor, "pk", None) is not None:
        _grant_user(case, actor, ROLES[CASEWORKER].case_perms, reason=REASON_CREATOR, actor=actor)


@service
def case_assign(*, actor, user, cases: Iterable[Case]) -> list[Case]:
    """Assign a caseworker to one or many cases (full caseworker grants). Caller holds manage_access. Audit: access.grant.added per case."""
    require_role(user, CASEWORKER)
    changed = []
    for case in cases:
        added = _grant_user(case, user, ROLES[CASEWORKER].case_perms, reason=REASON_ASSIGNED, actor=actor)
        if added:
            changed.append(case)
            audit_record(
                actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case,
                data={"user": user.get_username(), "perms": added, "reason": REASON_ASSIGNED},
            )
    return changed


@service
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


@service
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
        new = [p for p in permission_rows(ROLES[LEGAL].case_perms) if p.codename not in have]
        CaseGroupObjectPermission.objects.bulk_create(
            [CaseGroupObjectPermission(group=group, content_object=case, permission=p) for p in new]
        )
        added = sorted(p.codename for p in new)
        who = {"group": LEGAL}
        if added:
            _tell(case, group.user_set.filter(is_active=True), actor)
    else:
        require_role(user, LEGAL)
        added = _grant_user(case, user, ROLES[LEGAL].case_perms, reason=reason, actor=actor)
        who = {"user": user.get_username()}
    if added:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case, data={**who, "perms": added, "reason": reason})
    return added


@service
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


@service
def case_grant(*, actor, case: Case, user, perms: Iterable[str], reason: str = REASON_GRANTED) -> list[str]:
    """Grant some case permissions to a user; each must be one their roles carry. Audit: access.grant.added."""
    perms = sorted(set(perms))
    allowed = grantable_perms(user)
    if not user.is_active or not set(perms) <= allowed:
        raise AccessError(f"{user.get_username()}'s roles do not allow {', '.join(sorted(set(perms) - allowed)) or 'access'}.")
    added = _grant_user(case, user, perms, reason=reason, actor=actor)
    if added:
        audit_record(actor=actor, action=actions.ACCESS_GRANT_ADDED, target=case, data={"user": user.get_username(), "perms": added, "reason": reason})
    return added


@service
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
    return case_grant(actor=actor, case=case, user=actor, perms=ROLES[ADMIN].case_perms, reason=REASON_SELF_GRANT)


@service
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
