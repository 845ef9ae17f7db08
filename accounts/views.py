"""Signing in, the account page, passwords and re-authentication. Thin: forms validate, services write.
Second factors: views_factors.py."""

import time

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_otp_webauthn.models import WebAuthnCredential
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import gate, otp, services
from accounts.forms import PasswordConfirmForm
from accounts.roles import role_label, roles_of, second_factor_required, security_key_required
from accounts.signals import AUTH_AT_SESSION_KEY
from audit.selectors import recent_factor_changes, recent_sign_ins


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    """Django's sign-in; django-axes (backend and middleware) refuses locked-out users and addresses."""

    redirect_authenticated_user = False

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link of an invitation: choose a password, then sign in."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    @method_decorator(sensitive_post_parameters())
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    @sensitive_variables("password")
    def form_valid(self, form):
        password = form.cleaned_data["new_password1"]
        services.user_set_password(actor=self.user, user=self.user, password=password)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        if not otp.is_enrolled(self.user):
            # The invitation (or reset) link came from an admin: the first sign-in after it may enrol a factor.
            gate.grant_enrolment(self.request.session, self.user, via="invitation")
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return redirect(self.success_url)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class CountedPasswordChangeForm(PasswordChangeForm):
    """The current password is checked as a sign-in is (django-axes counts each wrong one and locks out), not
    by check_password alone: a stolen session must not guess it here without limit."""

    request = None

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password) is None:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    form_class = CountedPasswordChangeForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.request = self.request
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(actor=self.request.user)
        messages.success(self.request, _("Your password was changed. Every other session has ended."))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def devices_of(user) -> dict:
    return {
        "totp": TOTPDevice.objects.filter(user=user, confirmed=True),
        "keys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
        "backup_left": otp.backup_codes_left(user),
    }


@login_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {
            "roles": [role_label(name) for name in sorted(roles_of(request.user))],  # shown in the reader's language
            "required": second_factor_required(request.user),
            "key_required": security_key_required(request.user),
            "factor_changes": recent_factor_changes(request.user),
            "signins": recent_sign_ins(request.user, limit=10),
            **devices_of(request.user),
        },
    )


@require_POST
@login_required
def sign_out_everywhere(request):
    services.user_sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("You have been signed out on every device. Sign in again here."))
    return redirect("accounts:login")


@sensitive_post_parameters()
@login_required
def reauthenticate(request):
    """Type the password again before a sensitive action (changing access, exporting)."""
    form = PasswordConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"]):
            request.session[AUTH_AT_SESSION_KEY] = time.time()
            services.user_reauthenticated(actor=request.user)
            return redirect(safe_next(request, reverse("accounts:account")))
        form.add_error("password", _("That password is not right."))
        status = 400
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": safe_next(request, "")}, status=status)
