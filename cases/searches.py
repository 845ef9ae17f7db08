"""A search that may carry a name never travels in a URL (issue 15, item 11).

The case list's search form is POSTed; its filters are kept in the user's own session under an opaque
random id, and the browser is sent to `/cases/?s=<id>`: the name is in no URL, no server or proxy log line,
no browser history and no Referer. The search text is sealed (keys/aead.py, bound to the user and the id),
so the session table holds no name either. The result page stays linkable for its user within the
session; the newest KEEP searches are kept.
"""

from __future__ import annotations

import secrets

from keys.aead import ProtectedValueError, open_text, seal_text

SESSION_KEY = "dalil_searches"
KEEP = 20
# The label and field under which a search text is sealed (its own column key, like a protected field).
LABEL, FIELD = "cases.CaseSearch", "q"
# Filters that name nobody: they may stay in a URL (bookmarks, pagination links).
PLAIN_FILTERS = ("search_in", "status", "nationality", "pathway", "event_type", "sort")


def plain_filters() -> tuple[str, ...]:
    """The plain filters with those other apps register (cases/list_filters.py): none of them names anyone."""
    from cases.list_filters import extra_filter_names

    return PLAIN_FILTERS + extra_filter_names()


def _pk(request, search_id: str) -> str:
    return f"{request.user.pk}:{search_id}"


def search_save(request, data: dict) -> str:
    """Keep one validated search in the session; returns its opaque id."""
    search_id = secrets.token_urlsafe(12)
    stored = {k: str(data.get(k) or "") for k in plain_filters()}
    stored["q"] = seal_text(str(data.get("q") or ""), model_label=LABEL, field_name=FIELD, pk=_pk(request, search_id))
    searches = dict(request.session.get(SESSION_KEY) or {})
    searches[search_id] = stored
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return search_id


def search_load(request, search_id: str) -> dict | None:
    """The filters of a search kept by this user in this session, or None (unknown, expired or not theirs)."""
    stored = (request.session.get(SESSION_KEY) or {}).get(search_id)
    if not isinstance(stored, dict):
        return None
    try:
        query = open_text(stored.get("q", ""), model_label=LABEL, field_name=FIELD, pk=_pk(request, search_id))
    except (ProtectedValueError, ValueError):
        return None
    return {**{k: stored.get(k, "") for k in plain_filters()}, "q": query}
