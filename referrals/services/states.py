"""A built referral's life after the build: sent, acknowledged, closed — each with a custody row per exhibit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from common.transactions import service
from referrals import custody
from referrals.models import Referral


def _transition(*, actor, referral: Referral, allowed_from, to: str, action: str, data: dict) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in allowed_from:
        raise ValidationError(
            _("A %(status)s referral cannot be marked %(to)s.")
            % {"status": referral.get_status_display().lower(), "to": Referral.Status(to).label.lower()}
        )
    for name, value in data.items():
        setattr(referral, name, value)
    referral.status = to
    referral.full_clean()
    referral.save(update_fields=[*data, "status", "updated_at"])
    event = audit_record(
        actor=actor, action=action, target=referral, case=referral.case, fields=["status", *data],
        data={"from": list(allowed_from), "to": to, "files": referral.evidence_file_ids},
    )
    custody.record(referral=referral, audit_event=event, actor=actor, what=to)
    return referral


@service
def referral_mark_sent(*, actor, referral: Referral, sent_on, channel: str) -> Referral:
    """Record that the built package was sent, when and how. Caller holds prepare_referral. Audit: referral.sent."""
    if channel not in Referral.Channel.values:
        raise ValidationError({"sent_channel": _("Choose how it was sent.")})
    if sent_on is None or sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Enter the date it was sent (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.BUILT,), to=Referral.Status.SENT,
        action=actions.REFERRAL_SENT, data={"sent_on": sent_on, "sent_channel": channel},
    )


@service
def referral_mark_acknowledged(*, actor, referral: Referral, acknowledged_on) -> Referral:
    """Record the recipient's acknowledgement. Caller holds prepare_referral. Audit: referral.acknowledged."""
    if acknowledged_on is None or acknowledged_on > timezone.localdate():
        raise ValidationError({"acknowledged_on": _("Enter the date of the acknowledgement (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.SENT,), to=Referral.Status.ACKNOWLEDGED,
        action=actions.REFERRAL_ACKNOWLEDGED, data={"acknowledged_on": acknowledged_on},
    )


@service
def referral_close(*, actor, referral: Referral, closed_on, outcome: str, outcome_note: str = "") -> Referral:
    """Close a sent referral with its outcome. Caller holds prepare_referral. Audit: referral.closed."""
    if outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if closed_on is None or closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Enter the date it was closed (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.SENT, Referral.Status.ACKNOWLEDGED),
        to=Referral.Status.CLOSED, action=actions.REFERRAL_CLOSED,
        data={"closed_on": closed_on, "outcome": outcome, "outcome_note": outcome_note},
    )
