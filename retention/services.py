"""Writes for retention: periods, legal holds, extensions and the monthly review; each one transaction with its audit.

Destruction is in retention/destruction.py.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.models import Case
from common.transactions import service
from retention import selectors
from retention.models import LegalHold, RetentionExtension, RetentionPolicy, RetentionReview

SYSTEM = "retention"
MAX_DAYS = 36500


class RetentionError(ValueError):
    pass


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError(_("Give a reason."))
    return reason[:300]


@service
def policy_set(*, actor, status: str, days: int | None) -> RetentionPolicy | None:
    """Admin only. How long cases of `status` are kept after their last change; None keeps them without limit.
    Audit: retention.policy.set."""
    if status not in Case.Status.values:
        raise RetentionError(_("No such status."))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise RetentionError(_("Give a number of days between 1 and %(max)s.") % {"max": MAX_DAYS})
    policy = None
    if days is None:
        RetentionPolicy.objects.filter(status=status).delete()
    else:
        policy, _created = RetentionPolicy.objects.update_or_create(status=status, defaults={"days": days, "updated_by": actor})
    audit_record(actor=actor, action=actions.RETENTION_POLICY_SET, data={"status": status, "days": days})
    return policy


@service
def hold_set(*, actor, case, reason: str) -> LegalHold:
    """Admin or legal. A legal hold: the case cannot be destroyed while it stands. Audit: retention.hold.set."""
    reason = _reason(reason)
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one standing hold per case, even under a race
    if selectors.standing_hold(case) is not None:
        raise RetentionError(_("This case is already under a legal hold."))
    hold = LegalHold.objects.create(case=case, reason=reason, set_by=actor)
    # The reason may name a court or a proceeding, and the audit trail outlives the case: its words stay on the hold.
    audit_record(actor=actor, action=actions.RETENTION_HOLD_SET, target=hold, case=case, fields=["reason"])
    return hold


@service
def hold_lift(*, actor, case, reason: str) -> LegalHold:
    """Admin or legal. Lift the standing hold. Audit: retention.hold.lifted."""
    reason = _reason(reason)
    hold = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
    if hold is None:
        raise RetentionError(_("This case is not under a legal hold."))
    hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_record(actor=actor, action=actions.RETENTION_HOLD_LIFTED, target=hold, case=case, fields=["lift_reason"])
    return hold


@service
def retention_extend(*, actor, case, until: datetime.date, reason: str) -> RetentionExtension:
    """Admin only. Keep the case until `until` although its period has passed. Audit: retention.case.extended."""
    reason = _reason(reason)
    if until <= timezone.localdate():
        raise RetentionError(_("Keep it until a day after today."))
    extension = RetentionExtension.objects.create(case=case, until=until, reason=reason, extended_by=actor)
    audit_record(actor=actor, action=actions.RETENTION_EXTENDED, target=extension, case=case,
                 fields=["reason"], data={"until": until.isoformat()})
    return extension


@service
def review_prepare(*, actor=None, today: datetime.date | None = None) -> RetentionReview:
    """The month's list of cases past retention: by Celery beat monthly (idempotent), or again by an admin (actor).
    Audit: retention.review.prepared."""
    month = (today or timezone.localdate()).replace(day=1)
    review, created = RetentionReview.objects.get_or_create(month=month)
    if created or actor is not None:
        due = list(selectors.cases_due().values_list("pk", flat=True))
        review.cases.set(due)
        audit_record(actor=actor, action=actions.RETENTION_REVIEW_PREPARED, target=review, system="" if actor else SYSTEM,
                     data={"month": month.isoformat(), "cases": len(due)})
    return review
