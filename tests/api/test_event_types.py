"""Event types are described once (Event.TYPE_FIELDS): every entry point keeps only the type's own fields, and every
reader (API, web form, case page, dossier, research export) derives its fields from that declaration."""

import datetime

import pytest
from django.utils.text import capfirst

from api import serializers as s
from cases import access
from cases import services as case_services
from cases.forms import EventForm
from cases.models import Event
from cases.timeline import CHOICE, CHOICE_LIST, DATE, NUMBER, RELATION, field_kind
from patterns.services import RESEARCH_FIELDS
from referrals.dossier import dossier_data
from referrals.services import referral_create

COMMON = {"id", "case", "type", "date", "date_precision", "date_display", "date_approximate", "location", "description",
          "perpetrators", "sources", "version", "created_at", "updated_at"}


def _filled(field, case):
    """A value for any kind of type field, as a service call takes it."""
    return {
        CHOICE: lambda: next(code for code, _label in field.choices if code),
        CHOICE_LIST: lambda: [field.item_choices[0][0]],
        DATE: lambda: datetime.date(2024, 3, 2),
        NUMBER: lambda: 7,
        RELATION: lambda: case.contacts.first(),
    }.get(field_kind(field), lambda: f"{field.name} text")()


def _label(field) -> str:
    return str(capfirst(field.verbose_name))


def _event_with_every_field(actor, case, kind) -> Event:
    data = {"type": kind, "date": None, "date_precision": "unknown"}
    data |= {f.name: _filled(f, case) for f in Event.type_fields(kind)}
    if kind == Event.Type.ILL_TREATMENT:
        data["medical_exam"] = "forensic"  # a date of examination needs an examination
    return case_services.event_add(actor=actor, case=case, data=data)


def _declared() -> set[str]:
    return {name for names in Event.TYPE_FIELDS.values() for name in names}


def test_the_api_serializers_carry_exactly_the_declared_type_fields():
    relations = {f.name for f in Event.type_fields() if field_kind(f) == RELATION}
    assert set(s.EventSerializer().fields) - COMMON == _declared()
    assert set(s.EventCreateSerializer().fields) - COMMON == _declared() - relations
    assert set(s.EventUpdateSerializer().fields) - COMMON == _declared() - relations


def test_the_web_form_offers_each_type_its_declared_fields(cast, case):
    form = EventForm(sources=case.sources.all(), contacts=case.contacts.all())
    sections = {section["type"]: [bound.name for bound in section["fields"]] for section in form.type_sections()}
    assert sections == {str(kind): list(names) for kind, names in Event.TYPE_FIELDS.items()}


def test_the_research_export_carries_every_coded_type_field():
    coded = {f.name for f in Event.type_fields() if field_kind(f) in (CHOICE, CHOICE_LIST)}
    assert coded <= set(RESEARCH_FIELDS)
    assert not (_declared() - coded) & set(RESEARCH_FIELDS)  # no free text, no dates, no ids of records


@pytest.mark.parametrize("kind", list(Event.TYPE_FIELDS))
def test_the_case_page_and_the_dossier_show_each_declared_field(cast, case, client, settings, kind):
    settings.DALIL_2FA_REQUIRED_FOR = []
    caseworker, legal = cast.caseworker1, cast.legal1
    event = _event_with_every_field(caseworker, case, kind)
    labels = [_label(f) for f in Event.type_fields(kind)]
    assert [d.label for d in event.type_details()] == labels

    client.force_login(caseworker)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert all(f"{label}:" in page for label in labels), labels

    case_services.consent_record(actor=caseworker, case=case, data={
        "given_by": "person", "documentation": True, "share_lawyers": True, "given_on": datetime.date(2024, 5, 1), "method": "written",
    })
    access.case_share_with_legal(actor=caseworker, case=case, user=legal)
    referral = referral_create(
        actor=legal, case=case, events=[event],
        data={"recipient_name": "Justice Partners", "recipient_kind": "lawyer", "person_redaction": "full",
              "family_redaction": "pseudonym", "sources_redaction": "full"},
    )
    (entry,) = dossier_data(referral=referral, user=legal, exhibits=[])["timeline"]
    assert [line.split(": ", 1)[0] for line in entry["details"]] == labels
    assert "Aigerim" not in " ".join(entry["details"])  # who was contacted passes the redaction like every name


def test_an_api_made_detention_keeps_no_field_of_another_type(api, case):
    client = api("caseworker1")
    url = f"/api/v1/cases/{case.reference}/events/"
    body = {"type": "detention", "date": "2024-03", "signing_authority": "Ministry of Defence", "unit": "Storm-Z",
            "contract_term_months": 12, "ill_treatment_methods": ["beating"], "injuries_reported": "Broken rib",
            "what_was_said": "He is alive", "coercion_means": "debt"}
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.content
    stored = Event.objects.get(pk=made.json()["id"])
    assert not [d.name for d in stored.type_details()]
    assert (stored.signing_authority, stored.unit, stored.contract_term_months, stored.ill_treatment_methods) == ("", "", None, [])
    assert (stored.injuries_reported, stored.what_was_said, stored.coercion_means) == (None, "", "")

    contract = client.post(url, {"type": "contract", "signing_authority": "Ministry of Defence", "unit": "Storm-Z"}, format="json")
    detail = f"{url}{contract.json()['id']}/"
    changed = client.patch(detail, {"type": "detention"}, format="json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200, changed.content
    assert (changed.json()["signing_authority"], changed.json()["unit"]) == ("", "")
    assert Event.objects.get(pk=contract.json()["id"]).signing_authority == ""


def test_a_field_moved_to_another_type_follows_everywhere(api, case, monkeypatch):
    """The recipe: a type's fields change in the declaration alone, and the API and the dossier follow."""
    moved = {**Event.TYPE_FIELDS, Event.Type.DETENTION: ("unit",)}
    moved[Event.Type.CONTRACT] = tuple(n for n in moved[Event.Type.CONTRACT] if n != "unit")
    monkeypatch.setattr(Event, "TYPE_FIELDS", moved)
    made = api("caseworker1").post(f"/api/v1/cases/{case.reference}/events/", {"type": "detention", "unit": "Storm-Z"}, format="json")
    assert made.status_code == 201, made.content
    event = Event.objects.get(pk=made.json()["id"])
    assert event.unit == "Storm-Z"
    assert [(d.label, d.text) for d in event.type_details()] == [("Unit", "Storm-Z")]
