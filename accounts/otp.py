"""Which second factors a user has, and whether this session was verified with the right one."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.roles import second_factor_required, security_key_required


def has_security_key(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_enrolled(user) -> bool:
    """An authenticator app or a security key; backup codes alone do not count as enrolment.

    One query for both: it runs on every request of a user not yet verified in this session."""
    confirmed = {"user": OuterRef("pk"), "confirmed": True}
    return (
        get_user_model()._default_manager.filter(pk=user.pk)
        .filter(Exists(TOTPDevice.objects.filter(**confirmed)) | Exists(WebAuthnCredential.objects.filter(**confirmed)))
        .exists()
    )


def enrolment_annotations() -> dict:
    """For the query that loads a signed-in user (accounts.backends.UserBackend): is_enrolled, asked once."""
    confirmed = {"user": OuterRef("pk"), "confirmed": True}
    return {"_dalil_has_totp": Exists(TOTPDevice.objects.filter(**confirmed)),
            "_dalil_has_key": Exists(WebAuthnCredential.objects.filter(**confirmed))}


def _enrolled_at_start(user) -> bool:
    """is_enrolled as the query that loaded this request's user found it; used once (a view may enrol a
    factor later in the request), then asked afresh."""
    totp, key = getattr(user, "_dalil_has_totp", None), getattr(user, "_dalil_has_key", None)  # user may be a lazy proxy
    if totp is None or key is None:
        return is_enrolled(user)
    user._dalil_has_totp = user._dalil_has_key = None
    return bool(totp or key)


def backup_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name="backup").first()
    return device.token_set.count() if device else 0


def verified_with_key(user) -> bool:
    return user.is_verified() and isinstance(user.otp_device, WebAuthnCredential)


def second_factor_step(user) -> str | None:
    """None when the session may proceed, else "verify" (has a factor, not used yet) or "enrol"."""
    if security_key_required(user):
        if verified_with_key(user):
            return None
        if has_security_key(user):
            return "verify"
        # No key yet: a session verified with the app or a code may now register one; else verify first.
        return "enrol" if user.is_verified() or not _enrolled_at_start(user) else "verify"
    if user.is_verified():
        return None
    if _enrolled_at_start(user):
        # Whoever enrolled a factor uses it, required or not: a phished password alone must not do.
        return "verify"
    return "enrol" if second_factor_required(user) else None


def owes_second_step(user, session) -> bool:
    """Right after the password (user_logged_in): does this session still owe a second step?"""
    if session.get(DEVICE_ID_SESSION_KEY):
        return False  # signed in again in a session already verified, as the same user
    return security_key_required(user) or second_factor_required(user) or is_enrolled(user)
