"""Sign-out and failed sign-in events. Signals are the only way to hear django.contrib.auth; each
receiver writes its event in its own transaction (the auth views do not run in one). Signing in is
recorded by accounts (accounts.factors), which alone knows when the second step is done."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db import transaction

from audit import actions, context
from audit.middleware import client_ip
from audit.services import audit_record


def _remember_request(request):
    if request is None:
        return None
    return context.set_current(
        context.RequestContext(
            ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
        )
    )


def _record(request, **kwargs):
    token = _remember_request(request)
    try:
        with transaction.atomic():
            audit_record(**kwargs)
    finally:
        if token is not None:
            context.reset(token)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record(request, actor=user, action=actions.SIGN_OUT, target=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept (to spot guessing); the password never reaches here (Django cleanses it).
    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD, credentials.get("username", "")))[:150]
    # Tied to the account when there is one, so its owner sees the attempts among their recent sign-ins.
    target = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    _record(request, actor=None, action=actions.SIGN_IN_FAILED, target=target, data={"username": username})


def connect() -> None:
    user_logged_out.connect(on_logged_out, dispatch_uid="audit.sign_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.sign_in_failed")
