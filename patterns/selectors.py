"""Reads of lists, candidate matches and duplicates, scoped to the user.

A candidate match or a duplicate names a person in a case, so it is shown only when the case is among
cases_for(user); "missing" and "not yours" raise the same 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import sees_lists
from cases.models import Case, Person
from cases.selectors import cases_for
from patterns.estimation.models import EstimateJob
from patterns.matching import DEFAULT_MIN_SCORE, Index
from patterns.models import CaseMerge, DuplicateDismissal, ListUpload, MatchCandidate, SourceList


def may_use_lists(user) -> bool:
    """Published lists are for staff whose role says so (accounts.roles: Role.lists)."""
    return sees_lists(user)


def source_lists_for(user) -> QuerySet[SourceList]:
    if not may_use_lists(user):
        return SourceList.objects.none()
    return SourceList.objects.all()


def source_list_get_for(user, *, list_id) -> SourceList:
    try:
        return source_lists_for(user).get(pk=list_id)
    except (SourceList.DoesNotExist, ValueError, TypeError):
        raise Http404("No such list.") from None


def estimate_jobs_for(user) -> QuerySet[EstimateJob]:
    """The user's own population estimates, newest first: an estimate is its requester's alone."""
    if not may_use_lists(user):
        return EstimateJob.objects.none()
    return EstimateJob.objects.filter(created_by=user)


def estimate_job_get_for(user, *, job_id) -> EstimateJob:
    try:
        return estimate_jobs_for(user).get(pk=job_id)
    except (EstimateJob.DoesNotExist, ValueError):
        raise Http404("No such estimate.") from None


def upload_get_for(user, *, source_list: SourceList, upload_id) -> ListUpload:
    try:
        return ListUpload.objects.filter(source_list__in=source_lists_for(user)).get(source_list=source_list, pk=upload_id)
    except (ListUpload.DoesNotExist, ValueError):
        raise Http404("No such upload.") from None


def candidates_for(user, *, source_list: SourceList, perm: str = "view_case") -> QuerySet[MatchCandidate]:
    """Candidate matches of a list among the people of the cases this user may see."""
    return (
        MatchCandidate.objects.filter(entry__source_list=source_list, person__case__in=cases_for(user, perm=perm))
        .select_related("entry", "decision", "person__case")
        .order_by("-score", "entry__line")
    )


def candidate_get_for(user, *, source_list: SourceList, candidate_id, perm: str = "change_case") -> MatchCandidate:
    try:
        return candidates_for(user, source_list=source_list, perm=perm).get(pk=candidate_id)
    except (MatchCandidate.DoesNotExist, ValueError):
        raise Http404("No such candidate.") from None


def duplicates_for(user, *, case: Case | None = None, min_score: int = DEFAULT_MIN_SCORE) -> list[dict]:
    """Likely duplicate people among this user's cases (or of one case), best first.

    Names are protected fields: people are loaded through the ORM (decrypted) and blocked in Python.
    """
    from patterns.services import person_records

    visible = cases_for(user).exclude(pk__in=CaseMerge.objects.values("merged_id"))
    people = Person.objects.filter(case__in=visible).select_related("case")
    by_person = {p.pk: p.case for p in people}
    index = Index(person_records(people))
    dismissed = {(d.case_a_id, d.case_b_id) for d in DuplicateDismissal.objects.all()}
    probes = [r for r in index.records if case is None or r.id == case.person_id]
    seen, out = set(), []
    for record in probes:
        found, _ = index.match(record, min_score=min_score, exclude=lambda other, me=record: other.id == me.id)
        for match in found:
            first, second = sorted((by_person[match.a], by_person[match.b]), key=lambda c: str(c.pk))
            if (first.pk, second.pk) in seen or (first.pk, second.pk) in dismissed:
                continue
            seen.add((first.pk, second.pk))
            out.append({"a": first, "b": second, "score": match.score, "why": match.why})
    out.sort(key=lambda d: (-d["score"], d["a"].reference, d["b"].reference))
    return out
