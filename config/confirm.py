"""The confirmation step of a destructive action: a page that names the consequence before anything happens.

A view calls `confirm_step` after it has found the objects (so what the reader may not see is still a 404)
and before it acts. Without `confirmed=1` in the POST it returns the page, which sends the same fields again
with `confirmed=1`; with it, None, and the view goes on.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRMED = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def _back(request: HttpRequest, default: str) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return default


def confirm_step(request: HttpRequest, *, title: str, consequence: str, button: str, back: str, undo: str = "") -> HttpResponse | None:
    """The confirmation page, or None once the reader has confirmed."""
    if confirmed(request):
        return None
    fields = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", CONFIRMED) for v in values]
    context = {"title": title, "consequence": consequence, "button": button, "undo": undo, "fields": fields,
               "action": request.get_full_path(), "back": _back(request, back)}
    return render(request, "confirm.html", context)
