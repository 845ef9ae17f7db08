"""Reading the audit log: every read is scoped to what the user may see (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from audit import actions
from audit.models import AuditEvent

PAGE_SIZE = 50
SIGN_IN_ACTIONS = (actions.SIGN_IN, actions.SIGN_IN_FAILED, actions.SECOND_FACTOR_FAILED)


# Who reads the whole log is a rule of the roles (accounts/roles.py: is_admin), one layer up: accounts registers it
# in its AppConfig.ready(), so that audit imports no app above it. Until then, superusers only.
_admin_rule: list = [lambda user: user.is_superuser]


def audit_admin_rule_register(rule) -> None:
    """`rule(user)`: whether an active, signed-in user reads the whole log (accounts.roles.is_admin)."""
    _admin_rule[:] = [rule]


def is_audit_admin(user) -> bool:
    """Members of the `admin` group and superusers read the whole log."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(_admin_rule[0](user))  # the user's roles are read once per request


def audit_events_for(
    user,
    *,
    username: str = "",
    action: str = "",
    case_ref: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The whole log, filtered, newest first. Admins only: anyone else gets Http404."""
    if not is_audit_admin(user):
        raise Http404("No such page.")
    qs = AuditEvent.objects.all()
    if username:
        qs = qs.filter(actor_label=username)
    if action:
        qs = qs.filter(action=action)
    if case_ref:
        qs = qs.filter(case_ref=case_ref)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-seq")


def _shown_in_list(case_id, reference: str) -> Q:
    """List-page reads that showed a case (their data is {"cases": [ids]}; ids are UUIDs, references also match)."""
    keys = [str(case_id), reference]
    if connection.vendor == "postgresql":
        return Q(action=actions.CASE_LIST_VIEWED) & (Q(data__cases__contains=[keys[0]]) | Q(data__cases__contains=[keys[1]]))
    shown = RawSQL(
        "SELECT e.id FROM audit_auditevent e, json_each(e.data, '$.cases') j WHERE e.action = %s AND j.value IN (%s, %s)",
        [actions.CASE_LIST_VIEWED, *keys],
    )
    return Q(action=actions.CASE_LIST_VIEWED, pk__in=shown)


def case_events(*, case_id, reference: str) -> QuerySet[AuditEvent]:
    """Every event about one case, by its id and reference, newest first. The caller has scoped the case for its user.

    The log records ids and types only, so the case's own app resolves and scopes the case (cases/history.py).
    """
    # Ordered by "seq + 0", not "seq": otherwise PostgreSQL walks the whole log backwards by seq looking
    # for this case's events. This way it collects them through the case_ref and list-view indexes
    # (cost: the events about this one case) and sorts those.
    return AuditEvent.objects.filter(Q(case_ref=reference) | _shown_in_list(case_id, reference)).order_by((F("seq") + 0).desc())


def object_events(*, reference: str, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """Every event about one object of a case, newest first. The caller has scoped the case for its user."""
    qs = AuditEvent.objects.filter(case_ref=reference, target_type=target_type, target_id=str(target_id))
    return qs.order_by("-seq")


# The log's events as sentences for a reader: the sentences link to cases, and audit knows no case model, so cases
# registers its presenter (CasesConfig.ready); the views call it, so its queries run in the view.
_row_presenters: list = []


def audit_rows_register(presenter) -> None:
    """`presenter(reader, events)` returns the rows of the event table (cases.audit_present.rows)."""
    _row_presenters[:] = [presenter]


def audit_rows(reader, events) -> list:
    return _row_presenters[0](reader, events) if _row_presenters else []


def denial_alerts_for(viewer, person=None) -> dict:
    """Repeated refusals (of everyone, or of `person`), for an admin's page; nothing for anyone else."""
    from django.conf import settings

    from audit.denials import repeated_denials

    if not is_audit_admin(viewer):
        return {"alerts": []}
    return {"alerts": repeated_denials(person), "minutes": settings.DALIL_DENIAL_ALERT_MINUTES}


def recent_sign_ins(user, *, limit: int = 10) -> list[AuditEvent]:
    """This user's own recent sign-ins and failed attempts on their account, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        AuditEvent.objects.filter(
            target_type=get_user_model()._meta.label_lower, target_id=str(user.pk), action__in=SIGN_IN_ACTIONS
        ).order_by("-seq")[:limit]
    )


FACTOR_CHANGE_ACTIONS = (actions.ACCOUNT_2FA_ENROLLED, actions.ACCOUNT_2FA_REMOVED, actions.ACCOUNT_2FA_BACKUP_CODES)


def recent_factor_changes(user, *, days: int = 30) -> list[AuditEvent]:
    """Second factors added or removed and backup codes issued on this user's account lately, newest first:
    shown on their account page, so that a factor someone else added does not go unnoticed."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        AuditEvent.objects.filter(
            target_type=get_user_model()._meta.label_lower, target_id=str(user.pk), action__in=FACTOR_CHANGE_ACTIONS, at__gte=since
        ).order_by("-seq")[:10]
    )


def page(qs: QuerySet[AuditEvent], *, before: int | None, size: int = PAGE_SIZE) -> tuple[list[AuditEvent], int | None]:
    """Keyset paging on seq: constant cost at any depth. Returns the events and the `before` of the next page."""
    if before is not None:
        qs = qs.filter(seq__lt=before)
    events = list(qs.select_related(None)[: size + 1])
    more = len(events) > size
    events = events[:size]
    return events, (events[-1].seq if more else None)


def custody_event_ids(*, target_type: str, target_id: str, named: list[int]) -> list[int]:
    """For a referral build, whose caller already holds the file: the ids of the events on one object (its
    custody in the signed log) and of those `named` events whose signed data lists the object in `files` (events
    written before the referral steps listed their files are left out: their text could not show they concern
    it), in log order. Ids and order only, no content."""
    listing = [pk for pk, data in AuditEvent.objects.filter(pk__in=named).values_list("pk", "data")
               if isinstance(data, dict) and str(target_id) in (data.get("files") or [])]
    qs = AuditEvent.objects.filter(Q(target_type=target_type, target_id=str(target_id)) | Q(pk__in=listing))
    return list(qs.order_by("seq").values_list("pk", flat=True))
