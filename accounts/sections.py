"""What the apps above accounts show on a user's page of the manage site (/manage/users/<pk>/).

accounts knows nothing of cases: an app registers, in its AppConfig.ready, what its section of the page needs (cases:
the cases the person is assigned to), read through its own selectors. The view asks for all of them, so every query
of the page runs in the view, and the section's template reads `sections.<name>`.
"""

from collections.abc import Callable

_PROVIDERS: dict[str, Callable] = {}


def user_section_register(name: str, provider: Callable) -> None:
    """`provider(viewer, person)` returns what the section named `name` shows; the viewer manages users."""
    _PROVIDERS[name] = provider


def user_sections(viewer, person) -> dict:
    return {name: provider(viewer, person) for name, provider in _PROVIDERS.items()}
