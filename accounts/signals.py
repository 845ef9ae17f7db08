"""Receivers for events raised by Django and the security libraries, connected in AccountsConfig.ready.

Sign-out and failed sign-in are audited by the audit app; these record what only accounts
knows: whether a sign-in is complete or owes its second step, which sessions a user holds, when
they last typed their password, lockouts (django-axes) and security keys registered through
the WebAuthn endpoint.
"""

import time

from django.db import transaction

from accounts import factors, otp, services
from audit import actions
from audit.services import audit_record

AUTH_AT_SESSION_KEY = "dalil_auth_at"


def on_user_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[AUTH_AT_SESSION_KEY] = time.time()
    if request.session.session_key is None:
        request.session.save()
    services.session_track(user=user, session_key=request.session.session_key)
    factors.password_step_passed(user=user, signed_in=not otp.owes_second_step(user, request.session))


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    with transaction.atomic():
        audit_record(actor=None, action=actions.ACCOUNT_LOCKED_OUT, data={"username": username or "", "ip_address": ip_address or ""})


def on_credential_saved(sender, instance, created, **kwargs):
    if created:
        factors.security_key_registered(credential=instance)
