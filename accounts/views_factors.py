"""Second factors: the second step of signing in, enrolment, and managing factors.

Which of these a half-signed-in session reaches is SecondFactorMiddleware's rule (accounts.gate);
changing factors needs gate.factor_change_required. No view here marks a session verified except
`verify`, with a factor the user already had.
"""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import factors, gate, otp
from accounts.forms import TokenForm
from accounts.roles import second_factor_required, security_key_required
from accounts.views import devices_of, safe_next


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
            "may_enrol": gate.factor_change_refusal(request) in (None, "password"),
            "next": safe_next(request, ""),
            **devices_of(request.user),
        },
    )


@login_required
def enrol_link(request, token: str):
    """The one-time link an admin issued: opened while signed in as its user, it lets this session enrol a first factor."""
    if otp.is_enrolled(request.user):
        messages.info(request, _("You already have a second factor; this link is not needed."))
        return redirect("accounts:2fa_enrol")
    if factors.enrolment_link_redeem(user=request.user, raw=token):
        gate.grant_enrolment(request.session, request.user, via="link")
        messages.success(request, _("Now set up your second factor."))
    else:
        messages.error(request, _("This enrolment link is not valid: it was used, has expired or is not yours. Ask your administrator for a new one."))
    return redirect("accounts:2fa_enrol")


def _after_adding(request, first: bool):
    """A new factor never signs the session in: a first one is used once, now, to finish signing in."""
    if first or not request.user.is_verified():
        gate.end_enrolment(request.session)
        messages.success(request, _("Your second factor is set up. Use it once now to finish signing in."))
        return redirect(f"{reverse('accounts:2fa_verify')}?{urlencode({'next': reverse('accounts:2fa_backup_codes')})}")
    messages.success(request, _("Your new second factor is added. We have told you by e-mail too, if you have an address here."))
    return redirect("accounts:account")


@gate.factor_change_required
def totp_setup(request):
    device = factors.totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        first = not otp.is_enrolled(request.user)
        if form.is_valid() and factors.totp_confirm(actor=request.user, device=device, token=form.cleaned_data["token"]):
            return _after_adding(request, first)
        form.add_error("token", _("That code is not right. Check the time on your phone and try the newest code."))
        status = 400
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/2fa_totp.html", {"form": form, "qr_svg": svg, "secret": secret}, status=status)


@gate.factor_change_required
def backup_codes(request):
    codes = None
    if request.method == "POST":
        if not otp.is_enrolled(request.user):
            messages.error(request, _("Set up an authenticator app or a security key first."))
            return redirect("accounts:2fa_enrol")
        codes = factors.backup_codes_generate(actor=request.user)
    return render(request, "accounts/2fa_backup_codes.html", {"codes": codes, "left": otp.backup_codes_left(request.user)})


@gate.factor_change_required
def security_key(request):
    return render(request, "accounts/2fa_security_key.html", {"keys": devices_of(request.user)["keys"]})


def _check_code(request, token: str):
    """The device (app or backup code) this code belongs to, or None."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(request.user, confirmed=True):
        if isinstance(device, (TOTPDevice, StaticDevice)) and device.verify_token(token):
            return device
    return None


@sensitive_post_parameters("token")
@login_required
def verify(request):
    """The second step of signing in: a code from the app, a backup code, or a security key."""
    if request.method == "GET" and otp.second_factor_step(request.user) is None and request.user.is_verified():
        return redirect(safe_next(request, "/"))
    key_only = security_key_required(request.user) and otp.has_security_key(request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and not key_only:
        if form.is_valid():
            device = _check_code(request, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                method = "backup_code" if isinstance(device, StaticDevice) else "totp"
                factors.second_step_passed(user=request.user, method=method, signed_in=otp.second_factor_step(request.user) is None)
                return redirect(safe_next(request, "/"))
            factors.second_step_failed(user=request.user, method="code")
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
            "next": safe_next(request, "/"),
        },
        status=status,
    )


@require_POST
@gate.factor_change_required
def device_remove(request, kind: str, pk: int):
    models = {"totp": TOTPDevice, "key": WebAuthnCredential}
    if kind not in models:
        raise Http404
    device = models[kind].objects.filter(user=request.user, pk=pk).first()
    if device is None:
        raise Http404
    try:
        factors.device_remove(actor=request.user, device=device)
    except factors.FactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The second factor was removed."))
    return redirect("accounts:2fa_enrol")
