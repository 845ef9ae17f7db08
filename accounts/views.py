"""Signing in, the account page, second factors and re-authentication. Thin: forms validate, services write."""

import base64
import time

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import otp, services
from accounts.decorators import recent_login_required
from accounts.forms import PasswordConfirmForm, TokenForm
from accounts.roles import roles_of, second_factor_required, security_key_required
from accounts.signals import AUTH_AT_SESSION_KEY


def _safe_next(request, default: str) -> str:
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
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return redirect(self.success_url)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed. Every other session has ended."))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _devices(user) -> dict:
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
            "roles": sorted(roles_of(request.user)),
            "required": second_factor_required(request.user),
            "key_required": security_key_required(request.user),
            **_devices(request.user),
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
            return redirect(_safe_next(request, reverse("accounts:account")))
        form.add_error("password", _("That password is not right."))
        status = 400
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": _safe_next(request, "")}, status=status)


# --- Second factors ----------------------------------------------------------


@login_required
def enrol(request):
    """Where a user without a required second factor is sent; also where factors are managed."""
    return render(
        request,
        "accounts/2fa_enrol.html",
        {
            "required": second_factor_required(request.user),
            "key_required": security_key_required(request.user),
            "step": otp.second_factor_step(request.user),
            "next": _safe_next(request, ""),
            **_devices(request.user),
        },
    )


@login_required
def totp_setup(request):
    device = services.totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and services.totp_confirm(actor=request.user, device=device, token=form.cleaned_data["token"]):
            if not request.user.is_verified():
                otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up. Now save your backup codes."))
            return redirect("accounts:2fa_backup_codes")
        form.add_error("token", _("That code is not right. Check the time on your phone and try the newest code."))
        status = 400
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/2fa_totp.html", {"form": form, "qr_svg": svg, "secret": secret}, status=status)


@login_required
def backup_codes(request):
    codes = None
    if request.method == "POST":
        if not otp.is_enrolled(request.user):
            messages.error(request, _("Set up an authenticator app or a security key first."))
            return redirect("accounts:2fa_enrol")
        codes = services.backup_codes_generate(actor=request.user)
    return render(request, "accounts/2fa_backup_codes.html", {"codes": codes, "left": otp.backup_codes_left(request.user)})


@login_required
def security_key(request):
    return render(request, "accounts/2fa_security_key.html", {"keys": _devices(request.user)["keys"]})


@sensitive_post_parameters("token")
@login_required
def verify(request):
    """The second step of signing in: a code from the app, a backup code, or a security key."""
    if request.method == "GET" and otp.second_factor_step(request.user) is None and request.user.is_verified():
        return redirect(_safe_next(request, "/"))
    key_only = security_key_required(request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and not key_only:
        if form.is_valid():
            token = form.cleaned_data["token"].strip().replace(" ", "")
            for device in devices_for_user(request.user, confirmed=True):
                if isinstance(device, (TOTPDevice, StaticDevice)) and device.verify_token(token):
                    otp_login(request, device)
                    return redirect(_safe_next(request, "/"))
        form.add_error("token", _("That code is not right."))
        status = 400
    return render(
        request,
        "accounts/2fa_verify.html",
        {
            "form": form,
            "key_only": key_only,
            "has_key": otp.has_security_key(request.user),
            "has_codes": otp.has_totp(request.user) or otp.backup_codes_left(request.user) > 0,
            "next": _safe_next(request, "/"),
        },
        status=status,
    )


@require_POST
@recent_login_required
def device_remove(request, kind: str, pk: int):
    models = {"totp": TOTPDevice, "key": WebAuthnCredential}
    if kind not in models:
        raise Http404
    device = models[kind].objects.filter(user=request.user, pk=pk).first()
    if device is None:
        raise Http404
    services.device_remove(actor=request.user, device=device)
    messages.success(request, _("The second factor was removed."))
    return redirect("accounts:2fa_enrol")
