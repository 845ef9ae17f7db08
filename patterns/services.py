"""Writes of the patterns app: match decisions, duplicates, merges, exports (lists: patterns/list_imports.py).

Public services are keyword-only and run in one durable transaction with one audit event. The caller
has resolved every case through cases.selectors (so it holds the permission named in the docstring).
Names are never written to the audit log or to a task message: tasks get ids.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases import services as case_services
from cases.blind_index import person_index_update
from cases.closure import ClosureReason
from cases.models import Case, Consent, Contact, DatePrecision, Event, Source
from cases.timeline import CHOICE, CHOICE_LIST, field_kind
from patterns.matching import Record
from patterns.models import CaseMerge, DuplicateDismissal, MatchCandidate, MatchDecision


# --- Matching helpers (the list services are in patterns/list_imports.py) ------------------


def person_records(people) -> list[Record]:
    """Matcher records of people; their names are read through the ORM (decrypted), never filtered in SQL."""
    records = []
    for person in people:
        names = [person.name_latin, person.name_cyrillic, *(person.aliases or "").split(",")]
        precision = person.birth_date_precision
        # A year alone is weak evidence the matcher still uses (cases.name_compare); other precisions say nothing.
        birth = person.birth_date if precision == DatePrecision.DAY else str(person.birth_date.year) if precision == DatePrecision.YEAR and person.birth_date else None
        records.append(Record(person.pk, [n for n in names if n and n.strip()], birth_date=birth, region=person.home_region))
    return records


# --- Confirm / reject ------------------------------------------------------------------


def match_confirm(*, actor, candidate: MatchCandidate) -> MatchDecision:
    """Confirm that a list entry is this case's person. Caller holds change_case on the case.

    Adds a source and an event to the case through cases.services (each audited there), then records
    the decision (audit: patterns.match.confirmed). A candidate confirmed before is returned unchanged.
    """
    if candidate.decision_id and candidate.decision.decision == MatchDecision.Decision.CONFIRMED:
        return candidate.decision
    entry = candidate.entry
    source_list = entry.source_list
    case = Case.objects.get(person_id=candidate.person_id)
    url = source_list.url if source_list.url.startswith(("http://", "https://")) else ""
    details = [_("Line %(line)s of the list: %(name)s") % {"line": entry.line, "name": entry.full_name}]
    for label, value in ((_("unit"), entry.unit), (_("region"), entry.region), (_("source"), entry.source), (_("link"), entry.source_url)):
        if value:
            details.append(f"{label}: {value}")
    if source_list.url and not url:
        details.append(_("citation: %(c)s") % {"c": source_list.url})
    source = case_services.source_add(
        actor=actor, case=case,
        data={
            "kind": Source.Kind.OFFICIAL_LIST, "title": (_("Published list: %(t)s") % {"t": source_list.title})[:200],
            "url": url, "description": "\n".join(details), "received_on": timezone.localdate(),
        },
    )
    event = case_services.event_add(
        actor=actor, case=case,
        data={
            "type": Event.Type.CONTRACT,
            "date": entry.contract_date,
            "date_precision": DatePrecision.DAY if entry.contract_date else DatePrecision.UNKNOWN,
            "unit": entry.unit[:200],
            "description": _("Appears on the list “%(t)s” as a contract soldier.") % {"t": source_list.title},
        },
        sources=[source],
    )
    return _match_decide(actor=actor, candidate=candidate, decision=MatchDecision.Decision.CONFIRMED, source=source, event=event)


def match_reject(*, actor, candidate: MatchCandidate) -> MatchDecision:
    """Record that a list entry is not this case's person. Caller holds change_case. Audit: patterns.match.rejected."""
    return _match_decide(actor=actor, candidate=candidate, decision=MatchDecision.Decision.REJECTED)


@transaction.atomic(durable=True)
def _match_decide(*, actor, candidate, decision, source=None, event=None) -> MatchDecision:
    candidate = MatchCandidate.objects.select_for_update().select_related("entry").get(pk=candidate.pk)
    entry = candidate.entry
    record, _created = MatchDecision.objects.update_or_create(
        source_list_id=entry.source_list_id, fingerprint=entry.fingerprint, person_id=candidate.person_id,
        defaults={"decision": decision, "decided_by": actor, "decided_at": timezone.now(), "case_source": source, "case_event": event},
    )
    # The same entry may sit in the list twice (or come back in a re-import): one decision for all.
    MatchCandidate.objects.filter(entry__source_list_id=entry.source_list_id, entry__fingerprint=entry.fingerprint, person_id=candidate.person_id).update(decision=record)
    case = Case.objects.get(person_id=candidate.person_id)
    audit_record(
        actor=actor,
        action=actions.MATCH_CONFIRMED if decision == MatchDecision.Decision.CONFIRMED else actions.MATCH_REJECTED,
        target=record, case=case, data={"list": str(entry.source_list_id), "line": entry.line, "score": candidate.score},
    )
    return record


# --- Duplicates and merges ---------------------------------------------------------------


@transaction.atomic(durable=True)
def duplicate_dismiss(*, actor, case_a: Case, case_b: Case) -> DuplicateDismissal:
    """Mark two cases as different people. Caller may view both. Audit: patterns.duplicate.dismissed."""
    a, b = sorted((case_a, case_b), key=lambda c: str(c.pk))
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        case_a=a, case_b=b, defaults={"dismissed_by": actor, "dismissed_at": timezone.now()}
    )
    audit_record(actor=actor, action=actions.DUPLICATE_DISMISSED, target=a, data={"other": b.reference})
    return dismissal


@transaction.atomic(durable=True)
def case_merge(*, actor, kept: Case, merged: Case) -> CaseMerge:
    """Merge two cases about one person; both histories kept. Caller holds change_case on both. Audit: patterns.case.merged.

    The timeline, sources, contacts and consents of `merged` move to `kept` (same rows, same ids, so
    their audit history still applies); the merged person's names join the kept person's aliases;
    `merged` is closed and stays readable, and a CaseMerge row lists what moved. Evidence files stay
    with the merged case.
    """
    if kept.pk == merged.pk:
        raise ValueError(_("A case cannot be merged into itself."))
    kept = Case.objects.select_for_update().select_related("person").get(pk=kept.pk)
    merged = Case.objects.select_for_update().select_related("person").get(pk=merged.pk)
    if CaseMerge.objects.filter(merged=merged).exists():
        raise ValueError(_("This case has already been merged into another."))
    moved = {
        "events": [str(pk) for pk in Event.objects.filter(case=merged).values_list("pk", flat=True)],
        "sources": [str(pk) for pk in Source.objects.filter(case=merged).values_list("pk", flat=True)],
        "contacts": [str(pk) for pk in Contact.objects.filter(case=merged).values_list("pk", flat=True)],
        "consents": [str(pk) for pk in Consent.objects.filter(case=merged).values_list("pk", flat=True)],
    }
    for model in (Event, Source, Contact, Consent):
        model.objects.filter(case=merged).update(case=kept)
    other = merged.person
    aliases = [a.strip() for a in (kept.person.aliases or "").split(",") if a.strip()]
    for name in (other.name_latin, other.name_cyrillic, *(other.aliases or "").split(",")):
        name = (name or "").strip()
        if name and name not in aliases and name not in (kept.person.name_latin, kept.person.name_cyrillic):
            aliases.append(name)
    kept.person.aliases = ", ".join(aliases)
    person_fields = ["aliases"]
    if not kept.person.birth_date and other.birth_date:
        kept.person.birth_date, kept.person.birth_date_precision = other.birth_date, other.birth_date_precision
        person_fields += ["birth_date", "birth_date_precision"]
    # Both cases change: a form opened on either before the merge is now stale (cases.services.StaleEdit).
    kept.person.version += 1
    kept.person.save(update_fields=[*person_fields, "version"])
    kept.updated_by = actor
    kept.version += 1
    kept.save(update_fields=["updated_by", "updated_at", "version"])
    merged.status, merged.closure_reason = Case.Status.CLOSED, ClosureReason.DUPLICATE
    merged.updated_by = actor
    merged.version += 1
    merged.save(update_fields=["status", "closure_reason", "updated_by", "updated_at", "version"])
    # The new aliases and the reporters that moved are searchable under the kept case only.
    person_index_update(person=kept.person)
    person_index_update(person=merged.person)
    merge = CaseMerge.objects.create(kept=kept, merged=merged, moved=moved, merged_by=actor, merged_at=timezone.now())
    audit_record(
        actor=actor, action=actions.CASE_MERGED, target=kept, fields=[f"person.{f}" for f in person_fields],
        data={"merged": merged.reference, **{k: len(v) for k, v in moved.items()}},
    )
    return merge


# --- Exports -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
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
    def groups(rs, keys):
        counts: dict[tuple, int] = {}
        for r in rs:
            g = tuple(r[q] for q in keys)
            counts[g] = counts.get(g, 0) + 1
        return counts

    generalised = 0
    counts = groups(rows, _QUASI)
    for r in rows:
        if counts[tuple(r[q] for q in _QUASI)] < k:
            r["region"] = ""
            r["month"] = r["month"][:4]
            generalised += 1
    counts = groups(rows, _QUASI)
    kept = [r for r in rows if counts[tuple(r[q] for q in _QUASI)] >= k]
    return kept, {"k": k, "generalised_rows": generalised, "suppressed_rows": len(rows) - len(kept)}


@transaction.atomic(durable=True)
def research_export(*, actor, filters: dict | None = None) -> tuple[list[dict], dict]:
    """De-identified events for research: pseudonymous ids, no names, month dates, small cells suppressed.

    Runs over aggregate_cases(actor). Audit: patterns.research.exported.
    """
    from patterns import stats

    _cases, events = stats._scoped(actor, filters or {})
    rows = []
    for e in events.select_related("case", "case__person", "location").order_by("date", "pk"):
        rows.append({
            "case_id": pseudonym("case", e.case_id),
            "person_id": pseudonym("person", e.case.person_id),
            "nationality": e.case.person.nationality,
            "sex": e.case.person.sex,
            "pathway": e.case.pathway,
            "case_status": e.case.status,
            "event_type": e.type,
            **{name: _code(getattr(e, name)) for name in _TYPE_CODES},
            "month": _month(e.date, e.date_precision),
            "date_precision": e.date_precision,
            "region": e.location.region if e.location else "",
            "facility_type": e.location.facility_type if e.location else "",
        })
    rows, meta = _suppress_rows(rows, stats.small_cell_k())
    meta["rows"] = len(rows)
    audit_record(actor=actor, action=actions.RESEARCH_EXPORTED, data={**meta, "filters": {k: str(v) for k, v in (filters or {}).items() if v}})
    return rows, meta
