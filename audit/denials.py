"""Refusals: every 404 or 403 a signed-in user meets in a view is audited with what they tried, and many
of them from one user in a short while raise an alert for admins (the audit page, that user's page).

Not there and not yours stay the same 404 for the user; the log says which it was. One place for the
web pages (AuditContextMiddleware.process_exception) and the API (api.errors.exception_handler).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone

from audit import actions
from audit.models import AuditEvent
from audit.services import audit_record

DENIAL_ACTIONS = (actions.ACCESS_NOT_FOUND, actions.ACCESS_DENIED, actions.SECOND_FACTOR_FAILED,
                  actions.ACCOUNT_2FA_ENROLMENT_LINK_REFUSED)


def action_for(exception) -> str | None:
    if isinstance(exception, Http404) or type(exception).__name__ == "NotFound":
        return actions.ACCESS_NOT_FOUND
    if isinstance(exception, PermissionDenied) or type(exception).__name__ == "PermissionDenied":
        return actions.ACCESS_DENIED
    return None


# The case a refused reference names, if any: cases registers the lookup in its AppConfig.ready(), so that audit
# (below cases) imports no case model. Until then no reference names a case.
_case_lookup: list = [lambda reference: None]


def denial_case_lookup_register(lookup) -> None:
    """`lookup(reference)`: the case with that reference, or None (cases.apps)."""
    _case_lookup[:] = [lookup]


def record_denial(request, exception, *, view_name: str = "", kwargs: dict | None = None) -> None:
    """Audit a signed-in user's 404 or 403 (nothing for anonymous visitors, or for other errors)."""
    user = getattr(request, "user", None)
    action = action_for(exception)
    if action is None or not getattr(user, "is_authenticated", False):
        return
    tried = {str(k): str(v)[:64] for k, v in (kwargs or {}).items()}
    case = _case_lookup[0](tried["reference"]) if tried.get("reference") else None
    data = {"view": view_name[:100], **tried}
    if "reference" in tried:
        data["case_exists"] = case is not None
    with transaction.atomic():
        audit_record(actor=user, action=action, case=case, data=data)


def repeated_denials(user=None) -> list[dict]:
    """Users with DALIL_DENIAL_ALERT_COUNT or more refusals in the last DALIL_DENIAL_ALERT_MINUTES, most first."""
    since = timezone.now() - datetime.timedelta(minutes=settings.DALIL_DENIAL_ALERT_MINUTES)
    events = AuditEvent.objects.filter(action__in=DENIAL_ACTIONS, at__gte=since, actor__isnull=False)
    if user is not None:
        events = events.filter(actor=user)
    rows = (
        events.values("actor_id", "actor_label").annotate(count=Count("seq"), last=Max("at"))
        .filter(count__gte=settings.DALIL_DENIAL_ALERT_COUNT).order_by("-count")
    )
    return list(rows[:50])
