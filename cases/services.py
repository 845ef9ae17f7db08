"""Every write to cases and what hangs off them.

Each public service is keyword-only, runs in one durable transaction of its own (or, inside
common.transactions.user_action(), in that user action's one transaction) and writes
exactly one audit event in it, naming the changed fields but never their values.
Permission checks happen in the caller, which resolved the case through a selector.
"""

from collections.abc import Iterable

from django.utils import timezone

from audit import actions
from audit.services import audit_record
from cases import access
from cases.blind_index import NAME_FIELDS, person_index_update
from common.transactions import service
from cases.models import Case, CaseCounter, Consent, Contact, Event, Location, Perpetrator, Person, Source

REFERENCE_PREFIX = "DAL"


def _next_reference(year: int) -> str:
    # The row lock serialises concurrent intakes so that two cases never get one number.
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{REFERENCE_PREFIX}-{year}-{counter.last:04d}"


def _changes(obj, data: dict) -> list[str]:
    """The names of the given attributes whose value differs from the record's."""
    return [name for name, value in data.items() if getattr(obj, name) != value]


def _assign(obj, data: dict) -> list[str]:
    """Set the given attributes, returning the names of those whose value changed."""
    changed = _changes(obj, data)
    for name in changed:
        setattr(obj, name, data[name])
    return changed


class StaleEdit(Exception):
    """The record was saved by someone else after the form or request editing it was read.

    `current` is the record as it is now stored (unchanged by the refused edit), so that the
    caller can show the two versions side by side."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} is at version {current.version}")
        self.current = current


def refuse_if_stale(current, version: int | None, changes: list[str], *, stored: int | None = None) -> None:
    """Raise StaleEdit when `version` (what the form or request read) is not the stored one and something would change.

    `stored` defaults to current.version; 0 stands for a record that did not exist yet."""
    # Checked on the locked row, inside the transaction that saves: two saves from forms read at the same
    # version cannot both pass. Resending a form already saved changes nothing and is not a conflict.
    if version is not None and version != (current.version if stored is None else stored) and changes:
        raise StaleEdit(current)


def _locked(model, pk, *related: str):
    # Only the edited row is locked; the related rows are read for the audit event and the case's clock.
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)


def _save_version(obj, changed: list[str], *extra: str) -> None:
    obj.version += 1
    obj.save(update_fields=[*changed, "version", *extra])


def _update_record(model, pk, data: dict, version: int | None):
    """A record of a case changed from a form or a request: locked, refused when stale, checked, saved with its
    version raised when anything changed. Returns (the record, the names of the fields changed)."""
    record = _locked(model, pk, "case")
    refuse_if_stale(record, version, _changes(record, data))
    changed = _assign(record, data)
    record.full_clean()
    if changed:
        _save_version(record, changed)
    return record, changed


@service
def case_create(*, actor, person: dict, case: dict | None = None, contacts: Iterable[dict] = ()) -> Case:
    """Open a case with its person and contacts. Caller: any intake role. Audit: case.created."""
    contacts = list(contacts)
    person_obj = Person(**person)
    person_obj.full_clean()
    person_obj.save()
    case_obj = Case(
        reference=_next_reference(timezone.now().year),
        person=person_obj,
        created_by=actor,
        updated_by=actor,
        **(case or {}),
    )
    case_obj.full_clean(exclude=["reference"])
    case_obj.save()
    for contact in contacts:
        contact_obj = Contact(case=case_obj, **contact)
        contact_obj.full_clean()
        contact_obj.save()
    person_index_update(person=person_obj)  # after the contacts: a reporter's name finds the case too
    access.on_case_created(case=case_obj, actor=actor)
    audit_record(
        actor=actor,
        action=actions.CASE_CREATED,
        target=case_obj,
        fields=sorted({*person, *(case or {})}),
        data={"contacts": len(contacts)},
    )
    return case_obj


@service
def case_update(
    *, actor, case: Case, person: dict | None = None, data: dict | None = None, version: int | None = None
) -> list[str]:
    """Change a case and its person, refused (StaleEdit) when the case is no longer at `version`.
    Caller holds change_case. Audit: case.updated."""
    case = _locked(Case, case.pk, "person")
    refuse_if_stale(case, version, _changes(case.person, person or {}) + _changes(case, data or {}))
    changed_person = _assign(case.person, person or {})
    if changed_person:
        case.person.full_clean()
        _save_version(case.person, changed_person)
        if {*NAME_FIELDS, "birth_date"} & set(changed_person):
            person_index_update(person=case.person)
    changed_case = _assign(case, data or {})
    case.updated_by = actor
    case.full_clean(exclude=["reference"])
    if changed_case or changed_person:
        # The case's version covers its person: the case form and the API edit both at once.
        _save_version(case, changed_case, "updated_by", "updated_at")
    changed = [f"person.{n}" for n in changed_person] + changed_case
    audit_record(actor=actor, action=actions.CASE_UPDATED, target=case, fields=changed)
    return changed


def _touch(case: Case, actor) -> None:
    case.updated_by = actor
    case.save(update_fields=["updated_by", "updated_at"])


@service
def contact_add(*, actor, case: Case, data: dict) -> Contact:
    """Add a reporter or relative. Caller holds change_case. Audit: contact.added."""
    contact = Contact(case=case, **data)
    contact.full_clean()
    contact.save()
    if contact.is_reporter:
        person_index_update(person=case.person)
    _touch(case, actor)
    audit_record(actor=actor, action=actions.CONTACT_ADDED, target=contact, case=case, fields=data.keys())
    return contact


@service
def contact_update(*, actor, contact: Contact, data: dict, version: int | None = None) -> list[str]:
    """Change a contact, refused (StaleEdit) when it is no longer at `version`. Caller holds change_case.
    Audit: contact.updated."""
    contact, changed = _update_record(Contact, contact.pk, data, version)
    if {"name", "is_reporter"} & set(changed):
        person_index_update(person=contact.case.person)
    _touch(contact.case, actor)
    audit_record(actor=actor, action=actions.CONTACT_UPDATED, target=contact, case=contact.case, fields=changed)
    return changed


def _relation_changes(event: Event, perpetrators, sources) -> list[str]:
    changed = []
    if perpetrators is not None and set(event.perpetrators.all()) != set(perpetrators):
        changed.append("perpetrators")
    if sources is not None and set(event.sources.all()) != set(sources):
        changed.append("sources")
    return changed


def _set_event_relations(event: Event, perpetrators, sources) -> list[str]:
    changed = []
    if perpetrators is not None and set(event.perpetrators.all()) != set(perpetrators):
        event.perpetrators.set(perpetrators)
        changed.append("perpetrators")
    if sources is not None:
        if any(s.case_id != event.case_id for s in sources):
            raise ValueError("A source of another case cannot support this event.")
        if set(event.sources.all()) != set(sources):
            event.sources.set(sources)
            changed.append("sources")
    return changed


@service
def event_add(
    *, actor, case: Case, data: dict, perpetrators: Iterable[Perpetrator] = (), sources: Iterable[Source] = (),
    new_source: dict | None = None,
) -> Event:
    """Add an event to a case's timeline (with a source typed in beside it, in the same transaction).
    Caller holds change_case. Audit: event.added (and source.added)."""
    event = Event(case=case, created_by=actor, **data)
    event.clear_fields_of_other_types()
    event.full_clean()
    event.save()
    sources = list(sources)
    if new_source is not None:
        sources.append(_source_new(actor=actor, case=case, data=new_source))
    related = _set_event_relations(event, list(perpetrators), sources)
    _touch(case, actor)
    audit_record(actor=actor, action=actions.EVENT_ADDED, target=event, case=case, fields=[*data.keys(), *related], data={"type": event.type})
    return event


@service
def event_update(
    *,
    actor,
    event: Event,
    data: dict,
    perpetrators: Iterable[Perpetrator] | None = None,
    sources: Iterable[Source] | None = None,
    version: int | None = None,
    new_source: dict | None = None,
) -> list[str]:
    """Change an event (with a source typed in beside it), refused (StaleEdit) when it is no longer at `version`.
    Caller holds change_case. Audit: event.updated (and source.added)."""
    perpetrators = None if perpetrators is None else list(perpetrators)
    sources = None if sources is None else list(sources)
    event = _locked(Event, event.pk, "case")
    refuse_if_stale(event, version, _changes(event, data) + _relation_changes(event, perpetrators, sources)
                     + (["sources"] if new_source is not None else []))
    if new_source is not None:
        sources = [*(sources if sources is not None else event.sources.all()),
                   _source_new(actor=actor, case=event.case, data=new_source)]
    changed = _assign(event, data)
    changed += [name for name in event.clear_fields_of_other_types() if name not in changed]
    event.full_clean()
    changed += _set_event_relations(event, perpetrators, sources)
    if changed:
        _save_version(event, [n for n in changed if n not in ("perpetrators", "sources")], "updated_at")
    _touch(event.case, actor)
    audit_record(actor=actor, action=actions.EVENT_UPDATED, target=event, case=event.case, fields=changed)
    return changed


def _source_new(*, actor, case: Case, data: dict) -> Source:
    """A new source, inside the caller's transaction (on its own, or typed in on the event form). Audit: source.added."""
    if data.get("contact") is not None and data["contact"].case_id != case.pk:
        raise ValueError("A contact of another case cannot be a source here.")
    source = Source(case=case, **data)
    source.full_clean()
    source.save()
    audit_record(actor=actor, action=actions.SOURCE_ADDED, target=source, case=case, fields=data.keys())
    return source


@service
def source_add(*, actor, case: Case, data: dict) -> Source:
    """Record where information came from. Caller holds change_case. Audit: source.added."""
    source = _source_new(actor=actor, case=case, data=data)
    _touch(case, actor)
    return source


@service
def source_update(*, actor, source: Source, data: dict, version: int | None = None) -> list[str]:
    """Change a source, refused (StaleEdit) when it is no longer at `version`. Caller holds change_case.
    Audit: source.updated."""
    if data.get("contact") is not None and data["contact"].case_id != source.case_id:
        raise ValueError("A contact of another case cannot be a source here.")
    source, changed = _update_record(Source, source.pk, data, version)
    _touch(source.case, actor)
    audit_record(actor=actor, action=actions.SOURCE_UPDATED, target=source, case=source.case, fields=changed)
    return changed


@service
def consent_record(*, actor, case: Case, data: dict) -> Consent:
    """Record consent; the newest record replaces earlier ones. Caller holds change_case. Audit: consent.recorded."""
    if data.get("contact") is not None and data["contact"].case_id != case.pk:
        raise ValueError("A contact of another case cannot give consent here.")
    consent = Consent(case=case, recorded_by=actor, **data)
    consent.full_clean()
    consent.save()
    _touch(case, actor)
    audit_record(
        actor=actor, action=actions.CONSENT_RECORDED, target=consent, case=case, fields=data.keys(), data={"scopes": consent.scopes}
    )
    return consent


@service
def location_create(*, actor, data: dict) -> Location:
    """Add a reusable place (or return the same place if it exists). Audit: location.created."""
    location, created = Location.objects.get_or_create(
        name=data["name"], city=data.get("city", ""), region=data.get("region", ""), country=data.get("country", "Russia"),
        defaults={k: v for k, v in data.items() if k not in ("name", "city", "region", "country")},
    )
    if created:
        location.full_clean()
        audit_record(actor=actor, action=actions.LOCATION_CREATED, target=location, fields=data.keys())
    return location


@service
def perpetrator_create(*, actor, data: dict) -> Perpetrator:
    """Add a reusable alleged perpetrator (or return the same one). Audit: perpetrator.created."""
    perpetrator, created = Perpetrator.objects.get_or_create(
        kind=data["kind"], name=data["name"], rank=data.get("rank", ""),
        defaults={k: v for k, v in data.items() if k not in ("kind", "name", "rank")},
    )
    if created:
        perpetrator.full_clean()
        audit_record(actor=actor, action=actions.PERPETRATOR_CREATED, target=perpetrator, fields=data.keys())
    return perpetrator
