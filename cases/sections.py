"""The case page's sections from the apps above cases (evidence files, referrals), and their notices on a new case.

cases knows nothing of those apps: each registers, in its AppConfig.ready, what its section of the page needs, read
through its own selectors. The case view asks for all of them, so every query of the page runs in the view (none in a
template tag), and the section's template reads `sections.<name>`.
"""

from collections.abc import Callable

_PROVIDERS: dict[str, Callable] = {}


def case_section_register(name: str, provider: Callable) -> None:
    """`provider(user, case)` returns what the section named `name` shows; the case is one the user may view."""
    _PROVIDERS[name] = provider


def case_sections(user, case) -> dict:
    return {name: provider(user, case) for name, provider in _PROVIDERS.items()}


# Said once a case is opened, by the apps above (patterns: "this person may already be documented").
_OPENED_NOTICES: list[Callable] = []


def case_opened_notice_register(notice: Callable) -> None:
    """`notice(request, case)` adds its message to the page after a case is opened (reading through its own selectors)."""
    if notice not in _OPENED_NOTICES:
        _OPENED_NOTICES.append(notice)


def case_opened_notices(request, case) -> None:
    for notice in _OPENED_NOTICES:
        notice(request, case)


# The admins' page of who has access to a case (/manage/cases/<ref>/access/) shows, from apps above, what a change of
# access left to do (casework: follow-ups flagged because their assignee lost access). References and counts only:
# the admin need not see the case.
_ACCESS_PROVIDERS: dict[str, Callable] = {}


def access_section_register(name: str, provider: Callable) -> None:
    """`provider(user, case)` returns what the access page shows under `name`; the user holds manage_access."""
    _ACCESS_PROVIDERS[name] = provider


def access_sections(user, case) -> dict:
    return {name: provider(user, case) for name, provider in _ACCESS_PROVIDERS.items()}
