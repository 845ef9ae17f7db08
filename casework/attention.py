""""Needs attention", defined here once: an open case (not closed) with
  - an open follow-up past its due date (due before today), or
  - an open follow-up whose assignee lost access to the case (flagged, someone must take it over), or
  - a peer review returned with comments and not asked for again since (casework/reviews.py), or
  - no change for QUIET_DAYS days (Case.updated_at: every saved change to the case or what hangs off it).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import FollowUp, Review
from cases.models import Case

QUIET_DAYS = 30


def _overdue(today: datetime.date) -> Q:
    return Q(Exists(FollowUp.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due__lt=today)))


def _flagged(today: datetime.date) -> Q:
    return Q(Exists(FollowUp.objects.filter(case=OuterRef("pk"), done_at__isnull=True, flagged=True)))


def _returned(today: datetime.date) -> Q:
    later = Review.objects.filter(case=OuterRef("case"), created_at__gt=OuterRef("created_at"))
    return Q(Exists(Review.objects.filter(case=OuterRef("pk"), state=Review.State.RETURNED).exclude(Exists(later))))


def _quiet(today: datetime.date) -> Q:
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=QUIET_DAYS), datetime.time.min))
    return Q(updated_at__lt=since)


CONDITIONS = [_overdue, _flagged, _returned, _quiet]


def needs_attention(cases: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """The cases of `cases` (already scoped to a user) that need attention."""
    today = today or timezone.localdate()
    condition = Q()
    for make in CONDITIONS:
        condition |= make(today)
    return cases.exclude(status=Case.Status.CLOSED).filter(condition)
