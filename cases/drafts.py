"""Typed text is not thrown away: an oversized form and a form sent after the session ended come back filled.

Two cases, one mode. In both, the view renders its form bound to what was typed and saves nothing
(`held(request)` is the message to show; cases.views._form_response checks it before any save):

* Too large: a form over DATA_UPLOAD_MAX_MEMORY_SIZE (up to HARD_LIMIT) is read here instead of being
  refused with a bare 400; the page says what to shorten. Larger still, or a view that cannot hold a form,
  gets the styled 413 page.
* Signed out while typing: the POST is sealed (Fernet, a key derived from SECRET_KEY) into the sign-in form,
  so it lives in the browser's page, not on disk; on signing in it waits in the session, still sealed, and
  the first visit to the form's address shows the form as it was typed, to be checked and saved.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

# The forms where a person types long text, each able to show itself bound and unsaved: their views check
# held() before any save (cases.views._form_response, or held_page below). A view named here that saved
# anyway would save a replayed form without its CSRF check: tests/ui/test_drafts.py posts to each one.
DRAFT_VIEWS = {"cases:create", "cases:edit", "cases:contact_add", "cases:contact_edit", "cases:event_add",
               "cases:event_edit", "cases:source_add", "cases:source_edit", "cases:consent_add",
               "referrals:assessment", "referrals:assessment_item", "referrals:review_request", "referrals:create",
               "intake:reply"}
HARD_FACTOR = 4  # an oversized form is read up to this many times DATA_UPLOAD_MAX_MEMORY_SIZE
DRAFT_TTL = 24 * 3600
SESSION_KEY = "_dalil_draft"
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _fernet() -> Fernet:
    key = hashlib.sha256(b"dalil-form-draft\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: QueryDict) -> str:
    fields = {k: v for k, v in data.lists() if k not in ("csrfmiddlewaretoken", "draft")}
    return _fernet().encrypt(json.dumps(fields).encode()).decode()


def unseal(token: str) -> QueryDict | None:
    try:
        fields = json.loads(_fernet().decrypt(token.encode(), ttl=DRAFT_TTL))
    except (InvalidToken, ValueError, TypeError):
        return None
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, [str(v) for v in values])
    return data


def held(request) -> str:
    """The message of a form shown bound and unsaved, or "" for an ordinary request."""
    return getattr(request, "_dalil_held", "")


def held_status(request) -> int:
    return 413 if getattr(request, "_dalil_oversized", False) else 200


def held_page(request, forms, show):
    """show(status) -> the page with `forms` bound to what was typed, with the reason nothing was saved; None normally."""
    if not (notice := held(request)):
        return None
    for form in forms:
        form.is_valid()  # the errors are shown beside the kept text
    messages.warning(request, notice)
    return show(held_status(request))


def _hold(request, data: QueryDict, message: str, *, replayed: bool) -> None:
    request.method = "POST"
    request._post, request._files = data, MultiValueDict()
    request._dalil_held = message
    # A replayed draft is a GET made POST, with no token: nothing is saved in this mode, and the Save that follows
    # is checked. An oversized form is a real POST: its token is checked as any other (none planted from afar).
    if replayed:
        request._dont_enforce_csrf_checks = True


class DraftMiddleware:
    """Sits after the session and authentication middleware and before CsrfViewMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a sign-in made by this very request (its CSRF check passed): a forged POST to the sign-in page
        # from a signed-in victim's browser must not leave the attacker's words waiting in their session.
        if request.method == "POST" and getattr(request, "_dalil_signed_in_now", False) and request.path == reverse("accounts:login"):
            token, target = request.POST.get("draft", ""), request.POST.get("next", "")
            if token and target and hasattr(request, "session"):
                request.session[SESSION_KEY] = {"path": target, "token": token}
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else ""
        if request.method == "POST" and request.content_type in FORM_TYPES and _too_big(request):
            return self._oversized(request, name)
        if name not in DRAFT_VIEWS:
            return None
        if request.method == "POST" and not request.user.is_authenticated:
            return _sign_in_again(request)
        pending = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if request.method == "GET" and pending and pending.get("path") == request.get_full_path() and _past_second_step(request):
            del request.session[SESSION_KEY]
            if (data := unseal(pending.get("token", ""))) is not None:
                _hold(request, data, _("You were signed out before this form was sent, so nothing was saved. Here it is as you typed it: check it and save."), replayed=True)
        return None

    def _oversized(self, request, name):
        from config.errors import error_page

        size = int(request.META.get("CONTENT_LENGTH") or 0)
        if name not in DRAFT_VIEWS or size > HARD_FACTOR * settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_page(request, 413)
        data = QueryDict(request.read(), encoding=request.encoding)
        limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        _hold(request, data, _("This form is larger than Dalil accepts at once (%(size)s KB; at most %(limit)s KB), so nothing was saved. Your text is below: shorten the longest part, or attach it as a file, and save again.")
              % {"size": size // 1024, "limit": limit_kb}, replayed=False)
        request._dalil_oversized = True
        return None


def _past_second_step(request) -> bool:
    """A session still owing its second step is sent there (accounts.middleware): the draft waits for it."""
    from accounts.otp import second_factor_step

    return request.user.is_authenticated and second_factor_step(request.user) is None


@receiver(user_logged_in, dispatch_uid="cases.drafts.signed_in_now")
def _signed_in_now(sender, request, user, **kwargs):
    if request is not None:
        request._dalil_signed_in_now = True


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    except ValueError:
        return False


def _sign_in_again(request):
    """The sign-in page, holding the sealed form; the draft never touches the server's disk."""
    context = {"form": AuthenticationForm(request), "next": request.get_full_path(), "draft": seal(request.POST),
               "draft_notice": _("Your session ended while you were typing. Sign in again: what you typed is kept, and the form comes back to be saved.")}
    response = render(request, "registration/login.html", context, status=401)
    response["Cache-Control"] = "no-store"
    return response
