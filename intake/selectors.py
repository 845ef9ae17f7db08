"""Reads of family reports, scoped: only holders of intake.triage see the queue; a report already made part of a
case is seen through that case (cases.selectors), so "not yours" and "not there" are the same 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.selectors import cases_for
from intake.models import Submission

PERMISSION = "intake.triage"


def may_triage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def submissions_for(user) -> QuerySet[Submission]:
    """Untriaged reports for triage staff; triaged ones for whoever may see their case."""
    visible_cases = cases_for(user)
    if may_triage(user):
        return Submission.objects.filter(Q(case__isnull=True) | Q(case__in=visible_cases))
    return Submission.objects.filter(case__in=visible_cases)


def submission_get_for(user, *, submission_id) -> Submission:
    try:
        return submissions_for(user).exclude(status=Submission.Status.DESTROYED).get(pk=submission_id)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None


def likely_matches(user, answers: dict, *, limit: int = 5) -> list:
    """People in the user's cases whose names match the report's (the project's matcher), best first."""
    from cases.models import Person
    from intake.triage import birth_of
    from patterns.matching import Index, Record
    from patterns.services import person_records

    people = {p.pk: p for p in Person.objects.filter(case__in=cases_for(user)).select_related("case")}
    birth, precision = birth_of(answers.get("birth_date", ""))
    probe = Record("report", [answers.get("name", "")], birth_date=birth if precision == "day" else None, region=answers.get("home_region", ""))
    found, _ = Index(person_records(people.values())).match(probe, min_score=60)
    return [{"case": people[m.b].case, "score": m.score, "why": m.why} for m in found[:limit]]
