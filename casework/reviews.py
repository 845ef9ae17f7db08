"""Peer review of a case: sent to another caseworker or a legal user who can see it, approved or returned.

The message and the comments name people and weigh testimony: sealed like descriptions.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import CASEWORKER, LEGAL, roles_of
from audit import actions
from audit.services import audit_record
from cases.selectors import case_perms, case_rows, case_rows_filter, cases_for, compiled_case_rows
from casework.models_collab import NOTE_MAX_LENGTH, Review
from casework.notifications import Kind, notify
from common.transactions import service

REVIEWER_ROLES = {CASEWORKER, LEGAL}


class ReviewError(ValueError):
    pass


def may_review(user, case) -> bool:
    return bool(user and user.is_active and REVIEWER_ROLES & set(roles_of(user)) and "view_case" in case_perms(user, case, fresh=True))


@service
def review_request(*, actor, case, reviewer, message: str = "") -> Review:
    """Caller holds change_case on `case`. Audit: casework.review.requested; the reviewer is notified."""
    message = (message or "").strip()
    if len(message) > NOTE_MAX_LENGTH:
        raise ReviewError(_("A message has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    if reviewer is None or reviewer.pk == actor.pk:
        raise ReviewError(_("Choose someone else to review the case."))
    if not may_review(reviewer, case):
        raise ReviewError(_("A review can go only to a caseworker or legal user who has access to this case."))
    if Review.objects.filter(case=case, reviewer=reviewer, state=Review.State.PENDING).exists():
        raise ReviewError(_("This person already has a review of this case waiting."))
    review = Review.objects.create(case=case, requested_by=actor, reviewer=reviewer, message=message)
    notify(recipients=[reviewer], kind=Kind.REVIEW_REQUESTED, case=case, object_id=review.pk, actor=actor)
    audit_record(actor=actor, action=actions.CASE_REVIEW_REQUESTED, target=review, case=case, fields=["message"],
                 data={"user": reviewer.get_username()})
    return review


@service
def review_answer(*, actor, review: Review, approve: bool, comments: str = "") -> Review:
    """Only the reviewer, while they can see the case and the review waits. Audit: casework.review.answered."""
    comments = (comments or "").strip()
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != actor.pk or not may_review(actor, review.case):
        raise ReviewError(_("Only the reviewer asked can answer this review."))
    if review.state != Review.State.PENDING:
        raise ReviewError(_("This review was already answered."))
    if not approve and not comments:
        raise ReviewError(_("Say what needs to change when you return a case."))
    if len(comments) > NOTE_MAX_LENGTH:
        raise ReviewError(_("Comments have at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    review.state = Review.State.APPROVED if approve else Review.State.RETURNED
    review.comments, review.answered_at = comments, timezone.now()
    review.save(update_fields=["state", "comments", "answered_at"])
    kind = Kind.REVIEW_APPROVED if approve else Kind.REVIEW_RETURNED
    notify(recipients=[review.requested_by], kind=kind, case=review.case, object_id=review.pk, actor=actor)
    audit_record(actor=actor, action=actions.CASE_REVIEW_ANSWERED, target=review, case=review.case, fields=["state", "comments"],
                 data={"state": review.state})
    return review


def reviews_for(user, *, case=None) -> QuerySet[Review]:
    """Reviews of the cases the user may see (of one case, if given)."""
    if case is not None:  # the case page: the case was resolved for this user, its answer rides on the instance
        return Review.objects.filter(case_rows_filter(user, case)).select_related("case", "requested_by", "reviewer")
    return Review.objects.filter(case__in=cases_for(user)).select_related("case", "requested_by", "reviewer")


# The case page's badge: the newest review's state and reviewer (the page has the case already).
_LATEST = compiled_case_rows(lambda rows: Review.objects.filter(rows).select_related("reviewer")[:1])  # newest first (Meta.ordering)


def latest_review_for(user, *, case) -> Review | None:
    found = case_rows(_LATEST, user, case)
    return found[0] if found else None


def review_get_for(user, *, case, review_id) -> Review:
    review = reviews_for(user, case=case).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return review


def waiting_for(user) -> list[Review]:
    """Reviews the user is asked to give, for My work."""
    return list(reviews_for(user).filter(reviewer=user, state=Review.State.PENDING).order_by("created_at")[:50])


def asked_by(user) -> list[Review]:
    """The user's own requests: waiting ones and the answers of the last fortnight, for My work."""
    since = timezone.now() - datetime.timedelta(days=14)
    return list(reviews_for(user).filter(requested_by=user).filter(Q(state=Review.State.PENDING) | Q(answered_at__gte=since))[:20])
