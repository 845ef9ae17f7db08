import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from accounts import gate
from accounts.otp import second_factor_step


class SecondFactorMiddleware:
    """Holds a signed-in session that still owes its second step to the views accounts.gate allows.

    Runs after django-otp's OTPMiddleware and decides by URL name (process_view), so any other
    view, present or future, sends such a session to verification or enrolment instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        step = second_factor_step(user)
        if step is None:
            return None
        match = request.resolver_match
        if gate.allowed_before_second_factor(match.view_name if match else None, step):
            return None
        target = reverse("accounts:2fa_verify" if step == "verify" else "accounts:2fa_enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SessionRenewalMiddleware:
    """The idle timeout without a database write on every request: a signed-in session is saved (and its
    expiry pushed SESSION_COOKIE_AGE ahead) when it changed anyway or when its last renewal is more than
    DALIL_SESSION_RENEW_SECONDS old. Sits right after SessionMiddleware, which does the saving."""

    KEY = "_dalil_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.DALIL_SESSION_RENEW_SECONDS:
            session[self.KEY] = now
        return response


class PrivateResponseMiddleware:
    """`Cache-Control: no-store, private` (Django's never-cache headers) on every response to a signed-in
    user and on every API response, whatever the view set: nothing a signed-in user saw may stay in
    a browser's or a shared proxy's cache. Sits right after AuthenticationMiddleware."""

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith(self.API_PREFIX) or (user is not None and user.is_authenticated):
            response.headers.pop("Cache-Control", None)
            add_never_cache_headers(response)
        return response
