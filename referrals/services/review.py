"""A caseworker's request that legal review a case."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from audit import actions
from audit.services import audit_record
from cases.models import Case
from common.transactions import service, user_action
from referrals.models import ReviewRequest


def review_request(*, actor, case: Case, note: str = "", legal_user=None) -> ReviewRequest:
    """A caseworker asks legal to review the case: share it with legal (one named legal user, or all legal staff)
    through cases.access, then record the request. Caller holds change_case. Audit: access.grant.added, review.requested."""
    from cases.access import REASON_REFERRAL, AccessError, case_share_with_legal

    try:
        # One user action: the grant and the request commit together, with both audit events, or not at all.
        with user_action():
            case_share_with_legal(actor=actor, case=case, user=legal_user, reason=REASON_REFERRAL)
            return _review_request_record(actor=actor, case=case, note=note, legal_user=legal_user)
    except AccessError as exc:
        raise ValidationError(str(exc)) from None


@service
def _review_request_record(*, actor, case: Case, note: str, legal_user) -> ReviewRequest:
    request = ReviewRequest.objects.create(case=case, note=note, requested_by=actor)
    audit_record(
        actor=actor, action=actions.REVIEW_REQUESTED, target=case, fields=["review_requests"],
        data={"review_request": str(request.pk), "shared_with": legal_user.get_username() if legal_user else "legal"},
    )
    return request
