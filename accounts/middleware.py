import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.otp import second_factor_step


class SecondFactorMiddleware:
    """Sends a signed-in user who still owes a second factor to verification or enrolment.

    Runs after django-otp's OTPMiddleware. Only the pages that sign in, sign out,
    enrol or verify are reachable before that step is done.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def _exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                reverse("accounts:login"),
                reverse("accounts:logout"),
                "/accounts/2fa/",
                "/accounts/webauthn/",
                "/accounts/set-password/",
                settings.STATIC_URL,
            )
        return self._exempt

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith(self._exempt_prefixes()):
            step = second_factor_step(user)
            if step is not None:
                target = reverse("accounts:2fa_verify" if step == "verify" else "accounts:2fa_enrol")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


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
