"""Reads of saved searches: a user's own, and those shared with one of their roles or with everyone.

A saved search holds filters, never cases: opening one runs the case list (cases_for) as its opener."""

from __future__ import annotations

import functools

from django.db.models import Q
from django.http import Http404

from accounts.roles import roles_of
from casework.models_searches import EVERYONE, SavedSearch
from common.compiled import PLACEHOLDER_INT, Compiled


def _visible(user_id, *, roles: tuple[str, ...]):
    visible = Q(owner=user_id) | Q(shared_with=EVERYONE, owner__is_active=True)
    if roles:
        visible |= Q(shared_with__in=roles, owner__is_active=True)
    return SavedSearch.objects.filter(visible).select_related("owner")


# Shown with every page of the case list: compiled once per process and set of roles (common/compiled.py).
_VISIBLE: dict[tuple[str, ...], Compiled] = {}


def saved_searches_for(user) -> list[SavedSearch]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    roles = tuple(sorted(roles_of(user)))
    query = _VISIBLE.get(roles) or _VISIBLE.setdefault(roles, Compiled(functools.partial(_visible, roles=roles), user_id=PLACEHOLDER_INT))
    return sorted(query.instances(user_id=user.pk), key=lambda s: (s.owner_id != user.pk, s.name.casefold()))


def saved_search_get_for(user, pk) -> SavedSearch:
    """One saved search this user may open, or Http404 whether it is missing or not shared with them."""
    for search in saved_searches_for(user):
        if str(search.pk) == str(pk):
            return search
    raise Http404("No such search.")


def own_saved_search_get(user, pk) -> SavedSearch:
    search = SavedSearch.objects.filter(pk=pk, owner=user.pk).first()
    if search is None:
        raise Http404("No such search.")
    return search
