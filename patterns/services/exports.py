"""Exports of the patterns app: counts with small cells suppressed, and de-identified events for research."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings

from audit import actions
from audit.services import audit_record
from cases.models import DatePrecision, Event
from cases.timeline import CHOICE, CHOICE_LIST, field_kind
from common.transactions import service


@service
def stats_export(*, actor, measure: str, dimension: str, filters: dict):
    """Counts for a CSV download, small cells suppressed. Audit: patterns.stats.exported."""
    from patterns import stats

    result = stats.counts(actor, measure=measure, dimension=dimension, filters=filters)
    audit_record(
        actor=actor, action=actions.STATS_EXPORTED,
        data={"measure": measure, "dimension": dimension, "filters": {k: str(v) for k, v in filters.items() if v}, "k": stats.small_cell_k()},
    )
    return result


def _pseudonym_key() -> bytes:
    configured = settings.DALIL_RESEARCH_PSEUDONYM_KEY
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"dalil research pseudonyms v1", hashlib.sha256).digest()


def pseudonym(kind: str, pk) -> str:
    """A stable pseudonymous id: HMAC-SHA256 of the row's id under the research key, 16 hex digits."""
    return hmac.new(_pseudonym_key(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:16]


# The coded fields of event types (a choice or a list of choices, as Event.TYPE_FIELDS declares them): countable
# without decrypting anything, and no free text that could name someone.
_TYPE_CODES = tuple(f.name for f in Event.type_fields() if field_kind(f) in (CHOICE, CHOICE_LIST))
RESEARCH_FIELDS = (
    "case_id", "person_id", "nationality", "sex", "pathway", "case_status", "event_type", *_TYPE_CODES,
    "month", "date_precision", "region", "facility_type",
)
_QUASI = ("nationality", "sex", "region", "month")


def _code(value) -> str:
    return ";".join(value) if isinstance(value, list) else value


def _month(day: datetime.date | None, precision: str) -> str:
    if day is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    return f"{day.year:04d}-{day.month:02d}"


def _suppress_rows(rows: list[dict], k: int) -> tuple[list[dict], dict]:
    """k-anonymity on (nationality, sex, region, month): generalise, then drop what is still rare."""
    def groups(some_rows, keys):
        counts: dict[tuple, int] = {}
        for row in some_rows:
            group = tuple(row[q] for q in keys)
            counts[group] = counts.get(group, 0) + 1
        return counts

    generalised = 0
    counts = groups(rows, _QUASI)
    for row in rows:
        if counts[tuple(row[q] for q in _QUASI)] < k:
            row["region"] = ""
            row["month"] = row["month"][:4]
            generalised += 1
    counts = groups(rows, _QUASI)
    kept = [row for row in rows if counts[tuple(row[q] for q in _QUASI)] >= k]
    return kept, {"k": k, "generalised_rows": generalised, "suppressed_rows": len(rows) - len(kept)}


@service
def research_export(*, actor, filters: dict | None = None) -> tuple[list[dict], dict]:
    """De-identified events for research: pseudonymous ids, no names, month dates, small cells suppressed.

    Runs over aggregate_cases(actor). Audit: patterns.research.exported.
    """
    from patterns import stats

    _cases, events = stats._scoped(actor, filters or {})
    rows = []
    for event in events.select_related("case", "case__person", "location").order_by("date", "pk"):
        rows.append({
            "case_id": pseudonym("case", event.case_id),
            "person_id": pseudonym("person", event.case.person_id),
            "nationality": event.case.person.nationality,
            "sex": event.case.person.sex,
            "pathway": event.case.pathway,
            "case_status": event.case.status,
            "event_type": event.type,
            **{name: _code(getattr(event, name)) for name in _TYPE_CODES},
            "month": _month(event.date, event.date_precision),
            "date_precision": event.date_precision,
            "region": event.location.region if event.location else "",
            "facility_type": event.location.facility_type if event.location else "",
        })
    rows, meta = _suppress_rows(rows, stats.small_cell_k())
    meta["rows"] = len(rows)
    audit_record(actor=actor, action=actions.RESEARCH_EXPORTED, data={**meta, "filters": {k: str(v) for k, v in (filters or {}).items() if v}})
    return rows, meta
