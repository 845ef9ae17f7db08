"""Writes of saved searches (casework/models_searches.py), each one transaction with its audit event."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import role_choices, roles_of
from audit import actions
from audit.services import audit_read, audit_record
from casework.models_searches import EVERYONE, SavedSearch
from cases.searches import plain_filters
from common.transactions import service


# A shared search's name is shown to everyone it is shared with: said beside the name field, since no rule can
# tell "Karimov family" from "Kazakh intakes" (names are not detected).
NAME_WARNING = gettext_lazy(
    "If you share this search, everyone it is shared with sees its name. Never put a person's or a family's name in "
    "it: name what it finds (“new intakes from Kazakhstan”), not whom."
)


class SavedSearchError(ValueError):
    pass


def sharing_choices(user) -> list[tuple[str, str]]:
    """Only me, everyone holding one of my roles (there are no teams in Dalil), or everyone."""
    held = roles_of(user)
    by_role = [(name, gettext_lazy("Everyone with the role “%(role)s”") % {"role": label}) for name, label in role_choices() if name in held]
    return [("", gettext_lazy("Only me")), *by_role, (EVERYONE, gettext_lazy("Everyone in the organisation"))]


@service
def saved_search_create(*, actor, name: str, query: str, filters: dict, shared_with: str = "") -> SavedSearch:
    """Any signed-in user, for themself. Audit: casework.search.saved (no name, no search text)."""
    name, query = (name or "").strip(), (query or "").strip()
    if not name:
        raise SavedSearchError(_("Give the search a name."))
    if shared_with not in dict(sharing_choices(actor)):
        raise SavedSearchError(_("You cannot share a search with them."))
    if shared_with and query:
        # A search text may be a name: shared, it would tell colleagues a name they may have no access to.
        raise SavedSearchError(_("A shared search cannot keep a search text, which may name a person. Clear the search text, or keep the search to yourself."))
    kept = {k: str(v) for k, v in filters.items() if k in plain_filters() and v not in (None, "")}
    search = SavedSearch(owner=actor, name=name, query=query, filters=kept, shared_with=shared_with)
    search.full_clean()
    search.save()
    audit_record(actor=actor, action=actions.SEARCH_SAVED, target=search, fields=sorted(kept), data={"shared_with": shared_with})
    return search


@service
def saved_search_delete(*, actor, search: SavedSearch) -> None:
    """Its owner only. Audit: casework.search.deleted."""
    if search.owner_id != actor.pk:
        raise SavedSearchError(_("Only its owner may delete a saved search."))
    audit_record(actor=actor, action=actions.SEARCH_DELETED, target=search)
    search.delete()


def saved_search_opened(*, actor, search: SavedSearch) -> dict:
    """Record the opening, a read (audit_read is its own transaction); the case list it leads to records the
    cases it shows. Returns the list's filters."""
    audit_read(actor=actor, action=actions.SEARCH_OPENED, target=search, data={"owner": search.owner.get_username()})
    return {**search.filters, "q": search.query}
