"""Every use of a token leaves an audit event, as a web request does.

The path is recorded but never the query string: a search for a name must not put the
name in the log.
"""

from django.db import transaction

from audit import actions
from audit import services as audit_services


def _read(*, actor, action, target=None, case=None, data=None):
    recorder = getattr(audit_services, "audit_read", None)
    if recorder is not None:
        return recorder(actor=actor, action=action, target=target, case=case, data=data)
    with transaction.atomic(durable=True):
        return audit_services.audit_record(actor=actor, action=action, target=target, case=case, data=data)


def read(request, *, action: str, target=None, case=None, data: dict | None = None):
    """A read made through the API, under the same action name the web UI uses."""
    return _read(actor=request.user, action=action, target=target, case=case, data={**(data or {}), **_via(request)})


def _via(request) -> dict:
    token = getattr(request, "auth", None)
    return {"via": "api", "credential": getattr(token, "prefix", "")}


def request_done(request, response, *, case=None):
    token = getattr(request, "auth", None)
    if token is None or not hasattr(token, "prefix"):
        return
    _read(
        actor=request.user,
        action=actions.API_REQUEST,
        case=case,
        data={"method": request.method, "path": request.path, "status": response.status_code, **_via(request)},
    )


def token_rejected(request, *, token, reason: str):
    _read(
        actor=token.user,
        action=actions.API_TOKEN_REJECTED,
        target=token,
        data={"reason": reason, "method": request.method, "path": request.path, "credential": token.prefix},
    )
