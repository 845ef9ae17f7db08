"""Reads of follow-ups, always through the cases the user may see (cases.selectors.cases_for)."""

import datetime

from django.utils import timezone

from cases.selectors import cases_for
from casework import reviews
from casework.models import FollowUp


def open_follow_ups_for(user):
    return FollowUp.objects.filter(case__in=cases_for(user), done_at__isnull=True).select_related("case", "assignee")


def my_work(user) -> dict:
    today = timezone.localdate()
    mine = open_follow_ups_for(user).filter(assignee=user)
    week = today + datetime.timedelta(days=7)
    return {
        "today": today,
        "overdue": list(mine.filter(due__lt=today)),
        "due_this_week": list(mine.filter(due__gte=today, due__lte=week)),
        "later": list(mine.filter(due__gt=week)[:20]),
        "to_take_over": list(open_follow_ups_for(user).filter(flagged=True).exclude(assignee=user)[:20]),
        "reviews_waiting": reviews.waiting_for(user),
        "reviews_asked": reviews.asked_by(user),
        "recent": list(cases_for(user).filter(updated_at__gte=timezone.now() - datetime.timedelta(days=7)).select_related("person").order_by("-updated_at")[:20]),
    }


def attention_count(user) -> int:
    """Overdue and due today, for the navigation bar: one count query."""
    return open_follow_ups_for(user).filter(assignee=user, due__lte=timezone.localdate()).count()
