"""The two rules around the second factor, each in one place.

1. A half-signed-in session (password right, second step not done) reaches only the views that
   verify an existing factor or sign out (HALF_SIGNED_IN_VIEWS), plus, while the user has no
   factor yet and needs one, the enrolment views (ENROLMENT_VIEWS). SecondFactorMiddleware applies
   it to every request by URL name, so a new view is closed by default.
2. Adding, replacing or removing a factor and issuing backup codes (factor_change_required, and
   the WebAuthn registration endpoints) need a session verified with an existing factor and a
   password typed within DALIL_2FA_CHANGE_RECENT_MINUTES. A user with no factor yet instead needs
   an enrolment grant in this session: a one-time link an admin issued, or the invitation link
   they set their password with. None of these ever marks the session verified.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import otp
from accounts.decorators import has_recent_login, redirect_to_reauthenticate

HALF_SIGNED_IN_VIEWS = frozenset({
    "accounts:login",
    "accounts:logout",
    "accounts:2fa_verify",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    "set_language",
})
ENROLMENT_VIEWS = frozenset({
    "accounts:2fa_enrol",
    "accounts:2fa_enrol_link",
    "accounts:reauthenticate",
    "accounts:2fa_totp",
    "accounts:2fa_security_key",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
})
ENROLMENT_SESSION_KEY = "dalil_enrolment_grant"


def allowed_before_second_factor(view_name: str | None, step: str) -> bool:
    if view_name in HALF_SIGNED_IN_VIEWS:
        return True
    return step == "enrol" and view_name in ENROLMENT_VIEWS


def grant_enrolment(session, user, *, via: str) -> None:
    """Let this session set up the user's first factor (after an enrolment link or an invitation)."""
    session[ENROLMENT_SESSION_KEY] = {"user": user.pk, "via": via}


def end_enrolment(session) -> None:
    session.pop(ENROLMENT_SESSION_KEY, None)


def has_enrolment_grant(request) -> bool:
    grant = request.session.get(ENROLMENT_SESSION_KEY)
    return bool(grant) and grant.get("user") == request.user.pk


def factor_change_refusal(request) -> str | None:
    """None when this session may add, replace or remove a second factor; else what it lacks:
    "verify" (a verified session), "enrolment" (a link, for a first factor) or "password" (a fresh one)."""
    if otp.is_enrolled(request.user) or otp.backup_codes_left(request.user):
        if not request.user.is_verified():
            return "verify"
    elif not has_enrolment_grant(request):
        return "enrolment"
    if not has_recent_login(request, settings.DALIL_2FA_CHANGE_RECENT_MINUTES):
        return "password"
    return None


def factor_change_required(view_func):
    """Decorates the views that change second factors or issue backup codes (rule 2 above)."""

    @wraps(view_func)
    @login_required
    def wrapper(request, *args, **kwargs):
        refusal = factor_change_refusal(request)
        if refusal is None:
            return view_func(request, *args, **kwargs)
        if refusal == "password":
            return redirect_to_reauthenticate(request)
        if refusal == "verify":
            return redirect(f"{reverse('accounts:2fa_verify')}?{urlencode({'next': request.get_full_path()})}")
        messages.error(request, _("To set up your first second factor, open the one-time enrolment link your administrator gives you."))
        return redirect("accounts:2fa_enrol")

    return wrapper
