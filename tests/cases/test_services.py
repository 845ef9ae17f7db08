"""Every service writes its change and exactly one audit event naming the changed fields."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit import actions
from audit.models import AuditEvent
from cases import services
from cases.models import Case, Consent, Contact, Event, Location, Perpetrator, Source
from tests.factories import make_case


def audit_events(action, target=None):
    qs = AuditEvent.objects.filter(action=action)
    if target is not None:
        qs = qs.filter(target_id=str(target.pk))
    return list(qs)


def test_case_create_writes_person_case_contacts_and_audit(caseworker):
    case = make_case(actor=caseworker, status="active", pathway="prison")
    assert case.person.name_cyrillic == "Рустам Нысанбаев"
    assert case.contacts.get().relationship == "sister"
    assert case.created_by == caseworker
    (event,) = audit_events(actions.CASE_CREATED, case)
    assert event.case_ref == case.reference
    assert "name_latin" in event.fields and "pathway" in event.fields
    assert "Нысанбаев" not in str(event.data)  # names never reach the audit log


def test_case_create_with_bad_data_saves_nothing(caseworker):
    with pytest.raises(ValidationError):
        services.case_create(actor=caseworker, person={"name_latin": "X", "nationality": "ZZ"})
    assert not Case.objects.exists()
    assert not audit_events(actions.CASE_CREATED)


def test_case_update_names_changed_fields(caseworker, case):
    changed = services.case_update(actor=caseworker, case=case, person={"home_region": "Fergana"}, data={"status": "active"})
    assert changed == ["person.home_region", "status"]
    case.refresh_from_db()
    assert case.status == "active" and case.person.home_region == "Fergana"
    (event,) = audit_events(actions.CASE_UPDATED, case)
    assert event.fields == ["person.home_region", "status"]


def test_contact_add_and_update(caseworker, case):
    contact = services.contact_add(actor=caseworker, case=case, data={"name": "Malika", "relationship": "mother"})
    assert contact.case == case
    assert len(audit_events(actions.CONTACT_ADDED, contact)) == 1
    changed = services.contact_update(actor=caseworker, contact=contact, data={"name": "Malika", "consents_to_contact": True})
    assert changed == ["consents_to_contact"]
    (event,) = audit_events(actions.CONTACT_UPDATED, contact)
    assert event.fields == ["consents_to_contact"] and event.case_ref == case.reference


def test_event_add_with_place_perpetrator_and_source(caseworker, case):
    place = services.location_create(actor=caseworker, data={"name": "SIZO-1", "city": "Moscow", "facility_type": "sizo"})
    again = services.location_create(actor=caseworker, data={"name": "SIZO-1", "city": "Moscow", "facility_type": "sizo"})
    assert place == again and Location.objects.count() == 1
    assert len(audit_events(actions.LOCATION_CREATED)) == 1
    perpetrator = services.perpetrator_create(actor=caseworker, data={"kind": "official", "name": "Petrov", "rank": "Captain"})
    assert len(audit_events(actions.PERPETRATOR_CREATED, perpetrator)) == 1
    source = services.source_add(actor=caseworker, case=case, data={"kind": "family", "title": "Sister's call"})
    assert len(audit_events(actions.SOURCE_ADDED, source)) == 1
    event = services.event_add(
        actor=caseworker,
        case=case,
        data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month", "location": place},
        perpetrators=[perpetrator],
        sources=[source],
    )
    assert list(event.perpetrators.all()) == [perpetrator] and list(event.sources.all()) == [source]
    (audit,) = audit_events(actions.EVENT_ADDED, event)
    assert audit.data == {"type": "detention"} and "perpetrators" in audit.fields


def test_event_update_changes_fields_and_relations(caseworker, case):
    event = services.event_add(actor=caseworker, case=case, data={"type": "detention", "date": None, "date_precision": "unknown"})
    source = services.source_add(actor=caseworker, case=case, data={"kind": "person", "title": "Interview"})
    changed = services.event_update(
        actor=caseworker, event=event, data={"date": datetime.date(2023, 1, 1), "date_precision": "year"}, sources=[source]
    )
    assert sorted(changed) == ["date", "date_precision", "sources"]
    (audit,) = audit_events(actions.EVENT_UPDATED, event)
    assert sorted(audit.fields) == ["date", "date_precision", "sources"]


def test_event_cannot_cite_another_cases_source(caseworker, case):
    other = make_case(actor=caseworker, name_latin="Other Person", name_cyrillic="")
    foreign = services.source_add(actor=caseworker, case=other, data={"kind": "media", "title": "Article"})
    with pytest.raises(ValueError):
        services.event_add(actor=caseworker, case=case, data={"type": "injury"}, sources=[foreign])
    assert not Event.objects.filter(case=case).exists()
    assert not audit_events(actions.EVENT_ADDED)


def test_source_update(caseworker, case):
    source = services.source_add(actor=caseworker, case=case, data={"kind": "media", "title": "Article"})
    assert services.source_update(actor=caseworker, source=source, data={"reliability": "confirmed"}) == ["reliability"]
    assert Source.objects.get(pk=source.pk).reliability == "confirmed"
    assert len(audit_events(actions.SOURCE_UPDATED, source)) == 1


def test_consent_record_newest_is_in_force(caseworker, case):
    first = services.consent_record(
        actor=caseworker, case=case, data={"given_by": "person", "documentation": True, "given_on": datetime.date(2024, 1, 5), "method": "verbal"}
    )
    second = services.consent_record(
        actor=caseworker,
        case=case,
        data={"given_by": "contact", "contact": case.contacts.get(), "documentation": True, "share_lawyers": True,
              "given_on": datetime.date(2024, 2, 5), "method": "written"},
    )
    assert Consent.objects.filter(case=case).first() == second != first
    (audit,) = audit_events(actions.CONSENT_RECORDED, second)
    assert audit.data == {"scopes": ["documentation", "share_lawyers"]}


def test_consent_of_another_cases_contact_is_refused(caseworker, case):
    other = make_case(actor=caseworker, name_latin="Other Person", name_cyrillic="")
    with pytest.raises(ValueError):
        services.consent_record(
            actor=caseworker, case=case,
            data={"given_by": "contact", "contact": other.contacts.get(), "given_on": datetime.date(2024, 1, 1), "method": "verbal"},
        )
    assert not Consent.objects.exists()


def test_perpetrator_create_is_reusable(caseworker):
    a = services.perpetrator_create(actor=caseworker, data={"kind": "institution", "name": "Recruitment point, Sakharovo"})
    b = services.perpetrator_create(actor=caseworker, data={"kind": "institution", "name": "Recruitment point, Sakharovo"})
    assert a == b and Perpetrator.objects.count() == 1
    assert Contact.objects.count() == 0
