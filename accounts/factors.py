"""Every write about second factors: enrolment links, devices, backup codes, and the second step of signing in.

Each public service is keyword-only, runs in one durable transaction and writes its audit events in it.
Whether the session may change factors at all is accounts.gate's rule, checked by the caller.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import otp
from accounts.models import EnrolmentLink
from accounts.roles import second_factor_required
from audit import actions
from audit.services import audit_record
from common.transactions import service

log = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
METHOD_LABELS = {"totp": "an authenticator app", "webauthn": "a security key or passkey"}


class FactorError(ValueError):
    """A change to second factors the rules forbid; the message says why."""


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Enrolment links ------------------------------------------------------------


@service
def enrolment_link_issue(*, actor, user) -> str:
    """A one-time link for `user` to set up a first second factor; earlier unused links stop working.
    Returns its path (the only copy of the token). Caller holds accounts.manage_users. Audit: account.2fa.enrolment_link_issued."""
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    raw = secrets.token_urlsafe(32)
    hours = settings.DALIL_2FA_ENROLMENT_LINK_HOURS
    EnrolmentLink.objects.create(
        user=user, token_hash=_hash(raw), issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=now + datetime.timedelta(hours=hours),
    )
    audit_record(actor=actor, action=actions.ACCOUNT_2FA_ENROLMENT_LINK_ISSUED, target=user, data={"hours": hours},
                 system="" if getattr(actor, "is_authenticated", False) else "command")
    return reverse("accounts:2fa_enrol_link", kwargs={"token": raw})


@service
def enrolment_link_redeem(*, user, raw: str) -> bool:
    """Use the link once, as the signed-in `user` it was issued to. Audit: account.2fa.enrolment_link_used (or _refused)."""
    link = EnrolmentLink.objects.select_for_update().filter(token_hash=_hash(raw)).first()
    reason = None
    if link is None or link.user_id != user.pk:
        reason = "unknown"
    elif link.used_at is not None:
        reason = "used"
    elif link.expires_at <= timezone.now():
        reason = "expired"
    if reason is not None:
        audit_record(actor=user, action=actions.ACCOUNT_2FA_ENROLMENT_LINK_REFUSED, target=user, data={"reason": reason})
        return False
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit_record(actor=user, action=actions.ACCOUNT_2FA_ENROLMENT_LINK_USED, target=user)
    return True


# --- Devices ----------------------------------------------------------------------


def _factor_added(user, method: str) -> None:
    """Audit the new factor and tell the user by e-mail once it commits (if they have an address)."""
    audit_record(actor=user, action=actions.ACCOUNT_2FA_ENROLLED, target=user, data={"method": method})
    if user.email:
        transaction.on_commit(lambda: _send_factor_notice(user, method))


def _send_factor_notice(user, method: str) -> None:
    subject = _("A second factor was added to your Dalil account")
    body = _(
        "A second factor (%(method)s) was added to the Dalil account %(username)s at %(when)s UTC.\n\n"
        "If this was not you, tell your administrator at once: someone may know your password."
    ) % {"method": METHOD_LABELS.get(method, method), "username": user.get_username(),
         "when": timezone.now().strftime("%Y-%m-%d %H:%M")}
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:  # the change stands; the account page shows it too
        log.warning("could not send the second-factor notice for user %s", user.pk)


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator-app device, made on first call (a secret not yet in use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@service
def totp_confirm(*, actor, device: TOTPDevice, token: str) -> bool:
    """Confirm an authenticator app by its first code; the session stays as verified as it was. Audit: account.2fa.enrolled."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed or not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _factor_added(actor, "totp")
    return True


def security_key_registered(*, credential) -> None:
    """Record a security key or passkey registered through the WebAuthn endpoint. Audit: account.2fa.enrolled."""
    with transaction.atomic():
        _factor_added(credential.user, "webauthn")


@service
def backup_codes_generate(*, actor) -> list[str]:
    """Replace the user's one-time backup codes with new ones, shown once. Audit: account.2fa.backup_codes_generated."""
    device = StaticDevice.objects.get_or_create(user=actor, name="backup", defaults={"confirmed": True})[0]
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(actor=actor, action=actions.ACCOUNT_2FA_BACKUP_CODES, target=actor, data={"count": len(codes)})
    return codes


@service
def device_remove(*, actor, device) -> None:
    """Remove one of the actor's own second factors, never the last one a required user has. Audit: account.2fa.removed."""
    if device.user_id != actor.pk:
        raise FactorError(_("That second factor is not yours."))
    method = device._meta.label_lower
    device.delete()
    if second_factor_required(actor) and not otp.is_enrolled(actor):
        raise FactorError(_("Your role needs a second factor: add another one before you remove this one."))
    audit_record(actor=actor, action=actions.ACCOUNT_2FA_REMOVED, target=actor, data={"method": method})


@service
def factors_reset(*, actor, user) -> int:
    """An admin removes every second factor of another user (a lost phone and no backup codes) and ends
    their sessions; the user then sets up a new one from an enrolment link. Caller holds manage_users.
    Audit: account.2fa.reset."""
    from accounts.services import end_sessions

    if actor.pk == user.pk:
        raise FactorError(_("Another admin must reset your own second factors."))
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    end_sessions(user)
    audit_record(actor=actor, action=actions.ACCOUNT_2FA_RESET, target=user, data={"removed": removed})
    return removed


# --- The second step of signing in ------------------------------------------------


@service
def second_step_passed(*, user, method: str, signed_in: bool) -> None:
    """The session was verified with an existing factor; `signed_in` when nothing more is owed.
    Audit: auth.2fa.verified, then auth.sign_in (signing in is only recorded once it is complete)."""
    audit_record(actor=user, action=actions.SECOND_FACTOR_VERIFIED, target=user, data={"method": method})
    if signed_in:
        audit_record(actor=user, action=actions.SIGN_IN, target=user)


@service
def second_step_failed(*, user, method: str) -> None:
    """A wrong second-factor code. Audit: auth.2fa.failed."""
    audit_record(actor=user, action=actions.SECOND_FACTOR_FAILED, target=user, data={"method": method})


@service
def password_step_passed(*, user, signed_in: bool) -> None:
    """The password was right. Audit: auth.sign_in when no second step is owed, else auth.password_accepted."""
    audit_record(actor=user, action=actions.SIGN_IN if signed_in else actions.SIGN_IN_PASSWORD_ACCEPTED, target=user)
