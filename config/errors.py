"""Error pages in the house style and the reader's language (400, 403, 404, 413, 500).

Django's own handlers render 400 and 500 without the request, so the page would lose the header, the
signed-in user and the language switch; these render with it, and fall back to a bare page if even that
fails (a 500 may come from a database that is down).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PAGES = {
    400: (_("The request could not be read"), _("The page received something it could not understand. Nothing was saved.")),
    403: (_("You cannot open this page"), _("Your account does not have access to this page. If you need it, ask an administrator.")),
    404: (_("Page not found"), _("There is no such page, or it is not shared with you.")),
    413: (
        _("The form is too large to send"),
        _("What you sent is larger than Dalil accepts at once. Nothing was saved. Shorten the longest text, or attach it as a file, and send again."),
    ),
    500: (_("Something went wrong"), _("Dalil could not finish this request. Nothing was saved. The error has been logged; try again in a moment.")),
}


def error_context(status: int) -> dict:
    title, text = PAGES[status]
    return {"error_status": status, "error_title": title, "error_text": text}


API_CODES = {400: "parse_error", 403: "permission_denied", 404: "not_found", 413: "too_large", 500: "error"}


def is_api(request) -> bool:
    """Every address under /api/ answers in JSON, except the web pages that manage tokens."""
    path = getattr(request, "path_info", "")  # no request at all when the error page itself must survive
    return path.startswith("/api/") and not path.startswith(reverse("api_tokens:list"))


def api_error(status: int) -> JsonResponse:
    """The API's documented error body (api/errors.py), for what fails before a view answers: an address that
    matches no route (a malformed id), a body too large to read, a server error."""
    return JsonResponse({"code": API_CODES[status], "message": str(PAGES[status][1]), "fields": {}}, status=status)


def error_page(request, status: int, extra: dict | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(status)
    context = {**error_context(status), **(extra or {})}
    try:
        return render(request, f"{status}.html", context, status=status)
    except Exception:  # noqa: BLE001 - the error page must never fail in turn
        try:
            return HttpResponse(loader.get_template(f"{status}.html").render(context), status=status)
        except Exception:  # noqa: BLE001
            return HttpResponse(f"<h1>{context['error_title']}</h1>", status=status)


def bad_request(request, exception=None):
    return error_page(request, 413 if isinstance(exception, RequestDataTooBig) else 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    """A form sent from a page that is too old (or from elsewhere): say so and offer the way back."""
    return error_page(request, 403, {
        "error_title": _("This form has expired"),
        "error_text": _("The page the form came from is too old, or you signed in again since. Go back, reload the page and send it again."),
    })
