"""What patterns says on the page of a case just opened (registered with cases.sections in PatternsConfig.ready)."""

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patterns.selectors import duplicates_for


def warn_of_duplicates(request: HttpRequest, case) -> None:
    """A new case may describe someone already documented: say so at once, with where to compare."""
    candidates = duplicates_for(request.user, case=case)
    if candidates:
        url = reverse("patterns:duplicates") + f"?case={case.reference}"
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                ngettext("This person may already be documented in %(count)s other case.", "This person may already be documented in %(count)s other cases.", len(candidates)) % {"count": len(candidates)},
                url,
                _("Compare them"),
            ),
        )
