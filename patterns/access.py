"""Who may see which counts (one place, Wagtail-style).

`patterns.view_aggregates` lets a role count over every case without opening any: the dashboard and
the research export use `aggregate_cases(user)`; every page that shows a case or a person still goes
through cases.selectors.cases_for(user). Which roles carry it is declared in accounts/roles.py
(`Role.aggregates`); accounts.role_groups gives it to their groups.
"""

from django.db.models import QuerySet

from accounts.roles import AGGREGATE_PERMISSION


def can_view_aggregates(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(AGGREGATE_PERMISSION))


def aggregate_cases(user) -> QuerySet:
    """The cases this user's counts run over: every case for an aggregate role, otherwise their own."""
    from cases.models import Case
    from cases.selectors import cases_for

    if can_view_aggregates(user):
        return Case.objects.all()
    return cases_for(user)
