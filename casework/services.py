"""Writes of follow-ups, each one transaction with its audit event (common.transactions.service)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from casework.models import FollowUp
from casework.models_collab import Notification
from cases.selectors import case_perms
from common.transactions import service


FOLLOW_UP_KINDS = (Notification.Kind.FOLLOW_UP_DUE, Notification.Kind.FOLLOW_UP_OVERDUE)


class FollowUpError(ValueError):
    pass


def _check_assignee(case, user) -> None:
    if user is None or not user.is_active or "view_case" not in case_perms(user, case, fresh=True):
        raise FollowUpError(_("A follow-up can go only to someone who has access to this case."))


@service
def follow_up_add(*, actor, case, what: str, assignee, due: datetime.date, every_days: int | None = None, event=None, contact=None) -> FollowUp:
    """Caller holds change_case on `case`. Audit: followup.added (no content)."""
    _check_assignee(case, assignee)
    for linked in (event, contact):
        if linked is not None and linked.case_id != case.pk:
            raise FollowUpError(_("That belongs to another case."))
    follow_up = FollowUp(case=case, what=what.strip(), assignee=assignee, due=due, every_days=every_days, event=event, contact=contact, created_by=actor)
    follow_up.full_clean()
    follow_up.save()
    audit_record(actor=actor, action=actions.FOLLOW_UP_ADDED, target=follow_up, case=case, fields=["what", "assignee", "due"])
    return follow_up


@service
def follow_up_done(*, actor, follow_up: FollowUp) -> FollowUp | None:
    """Mark done; a recurring one comes back with its next due date. Returns the next one, if any.
    Its "due"/"overdue" notifications go with it: a bell that still rings for done work teaches people to ignore it."""
    follow_up.done_at, follow_up.done_by = timezone.now(), actor
    follow_up.save(update_fields=["done_at", "done_by"])
    # Only the assignee is ever told of a follow-up (digest._sweep_follow_ups); by recipient, the unique index serves.
    Notification.objects.filter(recipient=follow_up.assignee_id, kind__in=FOLLOW_UP_KINDS, object_id=str(follow_up.pk)).delete()
    audit_record(actor=actor, action=actions.FOLLOW_UP_DONE, target=follow_up, case=follow_up.case)
    if not follow_up.every_days:
        return None
    nxt = FollowUp(case=follow_up.case, what=follow_up.what, assignee=follow_up.assignee, every_days=follow_up.every_days,
                   due=max(follow_up.due, timezone.localdate()) + datetime.timedelta(days=follow_up.every_days),
                   event=follow_up.event, contact=follow_up.contact, created_by=actor)
    nxt.save()
    return nxt


@service
def follow_ups_flag_lost_access(*, case, user) -> int:
    """After a grant is removed: the user's open follow-ups on the case are flagged for someone to take over."""
    if "view_case" in case_perms(user, case, fresh=True):
        return 0
    return FollowUp.objects.filter(case=case, assignee=user, done_at__isnull=True).update(flagged=True)


@service
def follow_up_reassign(*, actor, follow_up: FollowUp, assignee) -> FollowUp:
    """Caller holds change_case on the case, or manage_access. The new assignee must see the case. The flag is cleared
    and the former assignee's due/overdue notifications go. Audit: followup.reassigned (the usernames)."""
    _check_assignee(follow_up.case, assignee)
    if follow_up.done_at is not None:
        raise FollowUpError(_("That follow-up is already done."))
    former = follow_up.assignee
    Notification.objects.filter(recipient=former.pk, kind__in=FOLLOW_UP_KINDS, object_id=str(follow_up.pk)).delete()
    follow_up.assignee, follow_up.flagged = assignee, False
    follow_up.save(update_fields=["assignee", "flagged"])
    audit_record(actor=actor, action=actions.FOLLOW_UP_REASSIGNED, target=follow_up, case=follow_up.case, fields=["assignee"],
                 data={"user": assignee.get_username(), "from": former.get_username()})
    return follow_up
