"""Decisions on list matches: a confirmed match becomes a source and an event of the case."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases import services as case_services
from cases.models import Case, DatePrecision, Event, Source
from common.transactions import service, user_action
from patterns.matching import Record
from patterns.models import MatchCandidate, MatchDecision


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

    One user action: a source and an event added to the case through cases.services (each audited there) and
    the decision (audit: patterns.match.confirmed) commit together or not at all, so a retry after a failure
    adds nothing twice. A candidate confirmed before is returned unchanged.
    """
    with user_action():
        # Locked first: a second confirmation of the same candidate waits, then finds it decided.
        candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.decision_id and candidate.decision.decision == MatchDecision.Decision.CONFIRMED:
            return candidate.decision
        case = Case.objects.get(person_id=candidate.person_id)
        source = case_services.source_add(actor=actor, case=case, data=_list_source_data(candidate.entry))
        event = case_services.event_add(
            actor=actor, case=case,
            data={
                "type": Event.Type.CONTRACT,
                "date": candidate.entry.contract_date,
                "date_precision": DatePrecision.DAY if candidate.entry.contract_date else DatePrecision.UNKNOWN,
                "unit": candidate.entry.unit[:200],
                "description": _("Appears on the list “%(t)s” as a contract soldier.") % {"t": candidate.entry.source_list.title},
            },
            sources=[source],
        )
        return _match_decide(actor=actor, candidate=candidate, decision=MatchDecision.Decision.CONFIRMED, source=source, event=event)


def _list_source_data(entry) -> dict:
    """The case's source for a confirmed list entry: the list, its link, and the entry's line as published."""
    source_list = entry.source_list
    url = source_list.url if source_list.url.startswith(("http://", "https://")) else ""
    details = [_("Line %(line)s of the list: %(name)s") % {"line": entry.line, "name": entry.full_name}]
    for label, value in ((_("unit"), entry.unit), (_("region"), entry.region), (_("source"), entry.source), (_("link"), entry.source_url)):
        if value:
            details.append(f"{label}: {value}")
    if source_list.url and not url:
        details.append(_("citation: %(c)s") % {"c": source_list.url})
    return {
        "kind": Source.Kind.OFFICIAL_LIST, "title": (_("Published list: %(t)s") % {"t": source_list.title})[:200],
        "url": url, "description": "\n".join(details), "received_on": timezone.localdate(),
    }


def match_reject(*, actor, candidate: MatchCandidate) -> MatchDecision:
    """Record that a list entry is not this case's person. Caller holds change_case. Audit: patterns.match.rejected."""
    return _match_decide(actor=actor, candidate=candidate, decision=MatchDecision.Decision.REJECTED)


@service
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
