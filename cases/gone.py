"""A case gone from every scope may still have a page to show: a destroyed case's tombstone (retention/).

Apps above cases/ register a page taking (request, reference) that answers None when it has nothing for this
user; the case page tries them only after its own lookup answered 404, so a normal page costs nothing more.
"""

import functools

from django.http import Http404

_pages: list = []


def register_gone_page(page) -> None:
    if page not in _pages:
        _pages.append(page)


def or_gone_page(view):
    @functools.wraps(view)
    def wrapper(request, reference, *args, **kwargs):
        try:
            return view(request, reference, *args, **kwargs)
        except Http404:
            for page in _pages:
                response = page(request, reference)
                if response is not None:
                    return response
            raise

    return wrapper
