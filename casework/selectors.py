"""Reads of follow-ups, always through the cases the user may see (cases.selectors.cases_for)."""

import datetime
import functools

from django.db import models
from django.db.models.functions import RowNumber
from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Subquery
from django.utils import timezone

from accounts.roles import roles_of
from cases.selectors import cases_for
from common.compiled import PLACEHOLDER_DATE, PLACEHOLDER_INT, Compiled
from casework import reviews
from casework.models import FollowUp

LIST_LIMIT = 50


def open_follow_ups_for(user):
    return FollowUp.objects.filter(case__in=cases_for(user), done_at__isnull=True).select_related("case", "assignee")


def follow_ups_of_case(user, *, case):
    """Every follow-up of a case, open first; the case comes from case_get_for, and the rows are checked again."""
    return FollowUp.objects.filter(case__in=cases_for(user), case=case).select_related("assignee").order_by("done_at", "due")


def open_follow_up_get(user, *, case, pk):
    """An open follow-up of the case, or None (done, of another case, or not the user's to see: the same None)."""
    return open_follow_ups_for(user).filter(case=case, pk=pk).first()


def flagged_follow_ups_of_managed_case(case):
    """For an access manager (the case comes from cases_by_reference_for_management): the open follow-ups whose
    assignee lost access, with who and by when. What they say is sealed content and is not read (deferred)."""
    return FollowUp.objects.filter(case=case, flagged=True, done_at__isnull=True).defer("what").select_related("assignee").order_by("due", "pk")


def _mine_by_section(user, today, week) -> dict[int, tuple[list, int]]:
    """The user's open follow-ups, overdue (0), due this week (1) and later (2): the first LIST_LIMIT of each by due
    date and each section's total, in one query (a window per section) rather than one query per list and count."""
    section = models.Case(models.When(due__lt=today, then=models.Value(0)), models.When(due__lte=week, then=models.Value(1)),
                          default=models.Value(2), output_field=models.IntegerField())
    # The window runs over narrow rows (ids and dates); only the rows shown are then read whole, with their case.
    picked = FollowUp.objects.filter(case__in=cases_for(user), done_at__isnull=True, assignee=user).annotate(
        section=section,
        rank=models.Window(RowNumber(), partition_by=[section], order_by=[models.F("due").asc(), models.F("pk").asc()]),
        total=models.Window(models.Count("pk"), partition_by=[section]),
    ).filter(rank__lte=LIST_LIMIT).values_list("pk", "section", "total")
    where = {pk: (section, total) for pk, section, total in picked}
    found: dict[int, tuple[list, int]] = {0: ([], 0), 1: ([], 0), 2: ([], 0)}
    for row in FollowUp.objects.filter(pk__in=list(where)).select_related("case", "assignee").order_by("due", "pk"):
        section_of, total = where[row.pk]
        found[section_of] = (found[section_of][0] + [row], total)
    return found


def my_work(user) -> dict:
    today = timezone.localdate()
    week = today + datetime.timedelta(days=7)
    # One page a person can act on: the oldest LIST_LIMIT of each list, and how many there are in all. Rendering
    # every open follow-up of a caseworker with a thousand cases cost most of a second (bench/access.py).
    sections = _mine_by_section(user, today, week)
    return {
        "today": today,
        "overdue": sections[0][0],
        "overdue_total": sections[0][1],
        "due_this_week": sections[1][0],
        "due_this_week_total": sections[1][1],
        "later": sections[2][0][:20],
        "to_take_over": list(open_follow_ups_for(user).filter(flagged=True).exclude(assignee=user)[:20]),
        "reviews_waiting": reviews.waiting_for(user),
        "reviews_asked": reviews.asked_by(user),
        "recent": list(cases_for(user).filter(updated_at__gte=timezone.now() - datetime.timedelta(days=7)).order_by("-updated_at")[:20]),
    }


def _attention(user, *, today: datetime.date | None = None):
    """The user's own open follow-ups that are overdue or due today: My work's count and the navigation's."""
    return open_follow_ups_for(user).filter(assignee=user, due__lte=today or timezone.localdate())


def attention_count(user) -> int:
    """Overdue and due today, for My work: one count query."""
    return _attention(user).count()


class _Count(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _nav_counts_query(*, user, today):
    from casework.notifications import unread_for

    attention = _attention(user, today=today)
    return (
        get_user_model()._default_manager.filter(pk=user.pk)
        .annotate(_attention=_Count(attention.order_by().values("pk")), _unread=_Count(unread_for(user).order_by().values("pk")))
        .values_list("_attention", "_unread")
    )


def _nav_counts_built(*, user_id, today, shape):
    # Built for a stand-in holding a placeholder id and nothing of a real user but the shape (see nav_counts):
    # what is kept per shape must not keep the first request, its user or what they posted (a searched name).
    from casework.notifications import INTAKE_PERMISSION

    is_superuser, roles, intake = shape
    stand_in = get_user_model()(pk=user_id, is_active=True, is_superuser=is_superuser)
    stand_in._state.adding = False
    stand_in._dalil_roles, stand_in._perm_cache = set(roles), ({INTAKE_PERMISSION} if intake else set())
    return _nav_counts_query(user=stand_in, today=today)


def nav_counts(user) -> tuple[int, int]:
    """(follow-ups overdue or due today, unread notifications) for the navigation bar of every page: the two
    counts of attention_count and notifications.unread_count, in one round trip, compiled once per shape:
    what of the user decides the query (the superuser flag, the roles, intake triage), nothing else."""
    from casework.notifications import INTAKE_PERMISSION

    if not user.is_active:
        return (0, 0)
    shape = (bool(user.is_superuser), frozenset(roles_of(user)), user.has_perm(INTAKE_PERMISSION))
    query = _NAV_COUNTS.get(shape)
    if query is None:
        query = _NAV_COUNTS.setdefault(shape, Compiled(functools.partial(_nav_counts_built, shape=shape), user_id=PLACEHOLDER_INT, today=PLACEHOLDER_DATE))
    rows = query.rows(user_id=user.pk, today=timezone.localdate())
    return rows[0] if rows else (0, 0)


_NAV_COUNTS: dict[tuple, Compiled] = {}
