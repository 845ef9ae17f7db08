"""Reads the API needs beyond cases.selectors, built on top of it (same scoping)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from cases.models import Case, Location, Perpetrator, Person
from cases.selectors import case_list_for, cases_for


def persons_for(user, *, query: str = "", nationality: str = ""):
    """The people of the cases this user may see: a person is visible exactly when their case is."""
    return case_list_for(user, query=query, nationality=nationality)


def person_get_for(user, *, person_id) -> Person:
    try:
        return cases_for(user).select_related("person").get(person__pk=person_id).person
    except (Case.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such person.") from None


def location_get(location_id: int) -> Location | None:
    # Places and perpetrators are shared reference lists, not case data.
    return Location.objects.filter(pk=location_id).first()


def perpetrators_by_ids(ids) -> list[Perpetrator]:
    return list(Perpetrator.objects.filter(pk__in=list(ids)))
