"""Reads of tags. A tag on a case is read only through the cases the reader may see (cases.selectors).

Counts for statistics (the dashboard, its exports) take safe tags only: `safe_case_tags`.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from casework.models_tags import CaseTag, Tag
from cases.selectors import case_rows, cases_for, compiled_case_rows


def _by_name(tags) -> list[Tag]:
    return sorted(tags, key=lambda t: (t.retired_at is not None, t.name.casefold()))


def tags_all() -> list[Tag]:
    """Every tag defined, the retired ones last: the definitions are no case's data (admin pages, filters)."""
    return _by_name(Tag.objects.all())


def tags_active() -> list[Tag]:
    return _by_name(Tag.objects.filter(retired_at__isnull=True))


def tag_get(pk) -> Tag:
    tag = Tag.objects.filter(pk=pk).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


_OF_CASE = compiled_case_rows(lambda rows: CaseTag.objects.filter(rows).select_related("tag"))


def tags_of_case_for(user, case) -> list[Tag]:
    """The tags of a case the caller resolved through case_get_for (nothing if the user may not read it)."""
    return _by_name(t.tag for t in case_rows(_OF_CASE, user, case))


def tags_for_cases(user, cases: list) -> dict:
    """{case pk: [tags]} for a page of cases, in one query; only cases the user may see."""
    visible = cases_for(user).filter(pk__in=[c.pk for c in cases])
    found = defaultdict(list)
    for case_tag in CaseTag.objects.filter(case__in=visible).select_related("tag"):
        found[case_tag.case_id].append(case_tag.tag)
    return {case_id: _by_name(found_tags) for case_id, found_tags in found.items()}


def tag_counts(cases: QuerySet) -> list[tuple[Tag, int]]:
    """How many of `cases` (the case list, already scoped to its user) carry each tag, most first, in one query.
    Every tag: these are the user's own cases, not statistics."""
    tags = Tag.objects.filter(case_tags__case__in=cases).annotate(n=Count("case_tags__case", distinct=True))
    return sorted(((t, t.n) for t in tags), key=lambda pair: (-pair[1], pair[0].name.casefold()))


def safe_case_tags(cases: QuerySet) -> QuerySet[CaseTag]:
    """For statistics (patterns/stats.py): the tags on `cases` that are marked safe, and no other."""
    return CaseTag.objects.filter(case__in=cases, tag__safe_for_statistics=True)


def tags_by_id(ids) -> dict:
    return {t.pk: t for t in Tag.objects.filter(pk__in=list(ids))}


def with_tag(cases: QuerySet, tag_id) -> QuerySet:
    return cases.filter(Exists(CaseTag.objects.filter(case=OuterRef("pk"), tag_id=tag_id)))
