"""Every caseworker page: the happy path, and bad input that re-renders with 400 and saves nothing."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from audit import actions
from audit.models import AuditEvent
from cases import services
from cases.models import Case, Consent, Contact, Event, Location, Perpetrator, Source
from tests.factories import PASSWORD, make_case

TOO_LONG = "x" * (settings.DALIL_MAX_TEXT_LENGTH + 1)


def url(name, case=None, **kwargs):
    if case is not None:
        kwargs["reference"] = case.reference
    return reverse(f"cases:{name}", kwargs=kwargs or None)


def create_data(**overrides):
    data = {
        "name_latin": "Jasur Rakhimov",
        "name_cyrillic": "Жасур Рахимов",
        "sex": "m",
        "birth_date": "1991-05",
        "nationality": "UZ",
        "status_in_russia": "migrant",
        "status": "intake",
        "pathway": "migrant_raid",
        "whereabouts": "detention",
        "risk_family_charges": "on",
        "contact-name": "Nodira Rakhimova",
        "contact-relationship": "sister",
        "contact-is_reporter": "on",
        "contact-messenger": "@nodira_r",
        "contact-consents_to_contact": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def event_data(**overrides):
    data = {"type": "detention", "date": "2024-03-12", "description": "Taken from the market by police."}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Sign-in and the case list -------------------------------------------------------


def test_pages_require_sign_in(client, case):
    for target in (url("list"), url("create"), url("detail", case), url("event_add", case)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_sign_in_page_and_sign_in(client, caseworker):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    response = client.post("/accounts/login/", {"username": caseworker.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(url("list")).status_code == 200


def test_case_list_shows_cases_and_records_the_read(caseworker_client, case):
    response = caseworker_client.get(url("list"))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert "Рустам Нысанбаев" in response.content.decode()
    event = AuditEvent.objects.filter(action=actions.CASE_LIST_VIEWED).get()
    assert event.data == {"cases": [str(case.pk)]}


def test_case_list_search_and_filters(caseworker_client, caseworker, case):
    other = make_case(actor=caseworker, name_latin="Dilshod Karimov", name_cyrillic="Дилшод Каримов", nationality="UZ")
    # A search is POSTed and shown under an opaque id (tests/security/test_search_urls.py).
    page = caseworker_client.post(url("list"), {"q": "Каримов"}, follow=True).content.decode()
    assert other.reference in page and case.reference not in page
    page = caseworker_client.post(url("list"), {"q": case.reference}, follow=True).content.decode()
    assert case.reference in page and other.reference not in page
    page = caseworker_client.get(url("list"), {"nationality": "KZ", "status": "intake"}).content.decode()
    assert case.reference in page and other.reference not in page
    page = caseworker_client.get(url("list"), {"event_type": "detention"}).content.decode()
    assert case.reference not in page and "No case matches" in page


def test_case_list_rejects_unknown_filter_values(caseworker_client, case):
    response = caseworker_client.get(url("list"), {"status": "nonsense"})
    assert response.status_code == 400
    assert case.reference not in response.content.decode()


def test_case_list_pages_by_twenty_five(caseworker_client, caseworker):
    for n in range(26):
        make_case(actor=caseworker, name_latin=f"Person {n}", name_cyrillic="")
    first = caseworker_client.get(url("list"))
    assert len(first.context["page"].object_list) == 25
    assert "page=2" in first.content.decode()
    second = caseworker_client.get(url("list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    # The total rides on the page's rows; a page past the end or not a number still answers with a real page.
    assert first.context["page"].paginator.count == second.context["page"].paginator.count == 26
    assert "26 cases" in first.content.decode()
    assert caseworker_client.get(url("list"), {"page": 9}).context["page"].number == 2
    assert caseworker_client.get(url("list"), {"page": "x"}).context["page"].number == 1
    assert caseworker_client.get(url("list"), {"page": -3}).context["page"].number == 1


# --- The case page ---------------------------------------------------------------


def test_case_page_shows_person_contacts_consent_and_timeline_in_date_order(caseworker_client, caseworker, case):
    def add(type_, date, precision):
        return services.event_add(actor=caseworker, case=case, data={"type": type_, "date": date, "date_precision": precision})

    add("missing", None, "unknown")
    add("contract", datetime.date(2024, 5, 1), "approximate")
    add("detention", datetime.date(2024, 3, 12), "day")
    add("recruitment", datetime.date(2023, 1, 1), "year")
    services.consent_record(
        actor=caseworker, case=case, data={"given_by": "person", "documentation": True, "given_on": datetime.date(2024, 6, 1), "method": "verbal"}
    )
    response = caseworker_client.get(url("detail", case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aigerim Nysanbaeva" in page and "Рустам Нысанбаев" in page
    assert [e.type for e in response.context["timeline"]] == ["recruitment", "detention", "contract", "missing"]
    assert "about May 2024" in page and "date unknown" in page
    assert page.index("2023") < page.index("12 Mar 2024") < page.index("about May 2024") < page.index("date unknown")
    assert response.context["consent"].given_on == datetime.date(2024, 6, 1)
    assert AuditEvent.objects.filter(action=actions.CASE_VIEWED, case_ref=case.reference).count() == 1


def test_case_page_of_missing_case_is_404(caseworker_client):
    assert caseworker_client.get("/cases/DAL-1999-0001/").status_code == 404


# --- Create and edit a case --------------------------------------------------------


def test_create_case_page_renders(caseworker_client):
    response = caseworker_client.get(url("create"))
    assert response.status_code == 200
    assert b'name="name_cyrillic"' in response.content and b'name="contact-name"' in response.content


def test_create_case_with_reporter(caseworker_client, caseworker):
    response = caseworker_client.post(url("create"), create_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", case)
    assert case.person.name_cyrillic == "Жасур Рахимов"
    assert (case.person.birth_date, case.person.birth_date_precision) == (datetime.date(1991, 5, 1), "month")
    assert case.risk_family_charges and case.created_by == caseworker
    contact = case.contacts.get()
    assert contact.is_reporter and contact.relationship == "sister" and contact.consents_to_contact
    assert AuditEvent.objects.filter(action=actions.CASE_CREATED, case_ref=case.reference).count() == 1


def test_create_case_without_contact(caseworker_client):
    data = create_data(**{"contact-name": None, "contact-relationship": None, "contact-messenger": None})
    assert caseworker_client.post(url("create"), data).status_code == 302
    assert Case.objects.get().contacts.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"birth_date": "1991-13-01"},  # no such month
        {"birth_date": "spring 1991"},  # not a recognised form ("May 1991" and "05.1991" are)
        {"birth_date": "2999"},  # in the future
        {"nationality": None},  # required
        {"name_latin": "", "name_cyrillic": ""},  # a case needs a name in some script
        {"pathway": "teleported"},  # not a choice
        {"notes": TOO_LONG},  # oversized text
        {"contact-relationship": None},  # a contact was started but not finished
        {"contact-safe_contact_notes": TOO_LONG},
    ],
)
def test_create_case_bad_input_saves_nothing(caseworker_client, overrides):
    response = caseworker_client.post(url("create"), create_data(**overrides))
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Case.objects.exists() and not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action=actions.CASE_CREATED).exists()


def test_edit_case(caseworker_client, case):
    response = caseworker_client.get(url("edit", case))
    assert response.status_code == 200
    assert response.context["person_form"].initial["birth_date"] == "1994-05-17"
    data = create_data(name_latin="Rustam Nysanbayev", nationality="KZ", status="active", birth_date="1994", birth_date_approximate="on")
    response = caseworker_client.post(url("edit", case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "active" and case.person.name_latin == "Rustam Nysanbayev"
    assert (case.person.birth_date, case.person.birth_date_precision) == (datetime.date(1994, 1, 1), "year")
    event = AuditEvent.objects.get(action=actions.CASE_UPDATED)
    assert "person.name_latin" in event.fields and "status" in event.fields


@pytest.mark.parametrize("overrides", [{"birth_date": "1994-02-30"}, {"status": None}, {"whereabouts_detail": TOO_LONG}])
def test_edit_case_bad_input_changes_nothing(caseworker_client, case, overrides):
    response = caseworker_client.post(url("edit", case), create_data(**{"status": "active", **overrides}))
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "intake" and case.person.name_latin == "Rustam Nysanbaev"
    assert not AuditEvent.objects.filter(action=actions.CASE_UPDATED).exists()


def test_edit_missing_case_is_404(caseworker_client):
    assert caseworker_client.get("/cases/DAL-1999-0001/edit/").status_code == 404


# --- Contacts ----------------------------------------------------------------------


def test_add_and_edit_contact(caseworker_client, case):
    assert caseworker_client.get(url("contact_add", case)).status_code == 200
    response = caseworker_client.post(url("contact_add", case), {"name": "Gulnara", "relationship": "mother", "phone": "+7 700 000"})
    assert response.status_code == 302
    contact = case.contacts.get(is_reporter=False)
    edit = url("contact_edit", case, contact_id=contact.pk)
    assert caseworker_client.get(edit).status_code == 200
    response = caseworker_client.post(edit, {"name": "Gulnara", "relationship": "mother", "relationship_detail": "stepmother"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.relationship_detail == "stepmother" and contact.phone == ""
    assert AuditEvent.objects.get(action=actions.CONTACT_UPDATED).fields == ["phone", "relationship_detail"]


@pytest.mark.parametrize("data", [{"relationship": "mother"}, {"name": "G", "relationship": "cousin"}, {"name": "G", "relationship": "mother", "address": TOO_LONG}])
def test_add_contact_bad_input(caseworker_client, case, data):
    assert caseworker_client.post(url("contact_add", case), data).status_code == 400
    assert case.contacts.count() == 1


def test_contact_of_another_case_is_404(caseworker_client, caseworker, case):
    other = make_case(actor=caseworker, name_latin="Other", name_cyrillic="")
    contact = other.contacts.get()
    assert caseworker_client.get(url("contact_edit", case, contact_id=contact.pk)).status_code == 404


# --- Events ------------------------------------------------------------------------


def test_event_form_renders_type_specific_fields(caseworker_client, case):
    page = caseworker_client.get(url("event_add", case)).content.decode()
    assert 'data-event-types="coercion"' in page and 'name="coercion_means"' in page
    assert 'data-event-types="contract"' in page and 'name="signing_authority"' in page
    assert 'data-event-types="family_contact"' in page and 'name="contact_channel"' in page


def test_add_detention_event_with_new_place_perpetrator_and_source(caseworker_client, caseworker, case):
    source = services.source_add(actor=caseworker, case=case, data={"kind": "family", "title": "Sister's call"})
    data = event_data(
        date="2024-03",
        date_approximate="on",
        new_location_name="SIZO-1 Matrosskaya Tishina",
        new_location_kind="facility",
        new_location_facility_type="sizo",
        new_location_city="Moscow",
        new_location_country="Russia",
        new_perpetrator_name="Police department No. 5",
        new_perpetrator_kind="institution",
        sources=[str(source.pk)],
        coercion_means="violence",  # belongs to coercion events only: dropped
    )
    response = caseworker_client.post(url("event_add", case), data)
    assert response.status_code == 302
    event = case.events.get()
    assert response["Location"] == url("detail", case) + f"#event-{event.pk}"
    assert (event.date, event.date_precision) == (datetime.date(2024, 3, 1), "approximate")
    assert event.location.name == "SIZO-1 Matrosskaya Tishina" and event.location.facility_type == "sizo"
    assert [p.name for p in event.perpetrators.all()] == ["Police department No. 5"]
    assert list(event.sources.all()) == [source]
    assert event.coercion_means == ""
    page = caseworker_client.get(url("detail", case)).content.decode()
    assert "about March 2024" in page and "SIZO-1 Matrosskaya Tishina" in page


def test_add_event_with_existing_place_and_perpetrator(caseworker_client, caseworker, case):
    place = services.location_create(actor=caseworker, data={"name": "Recruitment point", "city": "Moscow", "facility_type": "recruitment"})
    perpetrator = services.perpetrator_create(actor=caseworker, data={"kind": "official", "name": "Sidorov", "rank": "Major"})
    data = event_data(
        type="contract", date="2024", location=str(place.pk), perpetrators=[str(perpetrator.pk)],
        signing_authority="Ministry of Defence", unit="Storm-Z", contract_term_months="12", promised_pay="200,000 roubles",
    )
    assert caseworker_client.post(url("event_add", case), data).status_code == 302
    event = case.events.get()
    assert (event.location, event.unit, event.contract_term_months, event.date_precision) == (place, "Storm-Z", 12, "year")
    assert list(event.perpetrators.all()) == [perpetrator]
    assert Location.objects.count() == 1 and Perpetrator.objects.count() == 1


def test_add_family_contact_and_coercion_events(caseworker_client, case):
    contact = case.contacts.get()
    data = event_data(type="family_contact", date="", contact_channel="messenger", contact_with=str(contact.pk), what_was_said="He is alive.")
    assert caseworker_client.post(url("event_add", case), data).status_code == 302
    data = event_data(type="coercion", coercion_means="debt")
    assert caseworker_client.post(url("event_add", case), data).status_code == 302
    family, coercion = case.events.order_by("type")[1], case.events.order_by("type")[0]
    assert family.contact_with == contact and family.date is None and family.date_precision == "unknown"
    assert coercion.coercion_means == "debt"


@pytest.mark.parametrize(
    "overrides",
    [
        {"date": "2024-02-30"},
        {"date": "12.03.24"},  # a two-digit year is ambiguous
        {"date": "2999-01-01"},
        {"type": None},
        {"type": "abduction"},
        {"description": TOO_LONG},
        {"new_location_name": "Somewhere", "new_location_kind": ""},
        {"type": "contract", "contract_term_months": "twelve"},
    ],
)
def test_add_event_bad_input_saves_nothing(caseworker_client, case, overrides):
    response = caseworker_client.post(url("event_add", case), event_data(**overrides))
    assert response.status_code == 400
    assert not Event.objects.exists() and not Location.objects.exists()


def test_add_event_cannot_cite_another_cases_source(caseworker_client, caseworker, case):
    other = make_case(actor=caseworker, name_latin="Other", name_cyrillic="")
    foreign = services.source_add(actor=caseworker, case=other, data={"kind": "media", "title": "Article"})
    assert caseworker_client.post(url("event_add", case), event_data(sources=[str(foreign.pk)])).status_code == 400
    assert not Event.objects.exists()


def test_add_event_existing_and_new_place_together_is_refused(caseworker_client, caseworker, case):
    place = services.location_create(actor=caseworker, data={"name": "SIZO-2"})
    data = event_data(location=str(place.pk), new_location_name="SIZO-3", new_location_kind="facility")
    assert caseworker_client.post(url("event_add", case), data).status_code == 400
    assert Location.objects.count() == 1 and not Event.objects.exists()


def test_edit_event(caseworker_client, caseworker, case):
    event = services.event_add(
        actor=caseworker, case=case, data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month"}
    )
    edit = url("event_edit", case, event_id=event.pk)
    response = caseworker_client.get(edit)
    assert response.status_code == 200 and response.context["form"].initial["date"] == "2024-03"
    assert caseworker_client.post(edit, event_data(type="ill_treatment", date="2024-03-14")).status_code == 302
    event.refresh_from_db()
    assert (event.type, event.date, event.date_precision) == ("ill_treatment", datetime.date(2024, 3, 14), "day")
    assert "type" in AuditEvent.objects.get(action=actions.EVENT_UPDATED).fields
    assert caseworker_client.post(edit, event_data(date="2024-99")).status_code == 400
    event.refresh_from_db()
    assert event.date == datetime.date(2024, 3, 14)


def test_event_of_another_case_is_404(caseworker_client, caseworker, case):
    other = make_case(actor=caseworker, name_latin="Other", name_cyrillic="")
    event = services.event_add(actor=caseworker, case=other, data={"type": "injury"})
    assert caseworker_client.get(url("event_edit", case, event_id=event.pk)).status_code == 404


# --- Sources ------------------------------------------------------------------------


def test_add_and_edit_source(caseworker_client, case):
    assert caseworker_client.get(url("source_add", case)).status_code == 200
    data = {"title": "Sister's call", "kind": "family", "reliability": "reliable", "contact": str(case.contacts.get().pk), "received_on": "2024-04-02"}
    assert caseworker_client.post(url("source_add", case), data).status_code == 302
    source = case.sources.get()
    assert source.contact == case.contacts.get() and source.received_on == datetime.date(2024, 4, 2)
    edit = url("source_edit", case, source_id=source.pk)
    assert caseworker_client.get(edit).status_code == 200
    assert caseworker_client.post(edit, {**data, "reliability": "confirmed"}).status_code == 302
    source.refresh_from_db()
    assert source.reliability == "confirmed"
    assert AuditEvent.objects.get(action=actions.SOURCE_UPDATED).fields == ["reliability"]


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "family"},
        {"title": "T", "kind": "rumour"},
        {"title": "T", "kind": "media", "url": "not a url"},
        {"title": "T", "kind": "media", "received_on": "2024-02-31"},
        {"title": "T", "kind": "media", "description": TOO_LONG},
    ],
)
def test_add_source_bad_input(caseworker_client, case, data):
    assert caseworker_client.post(url("source_add", case), {"reliability": "unverified", **data}).status_code == 400
    assert not Source.objects.exists()


# --- Consent -------------------------------------------------------------------------


def test_record_consent(caseworker_client, case):
    assert caseworker_client.get(url("consent_add", case)).status_code == 200
    data = {"given_by": "contact", "contact": str(case.contacts.get().pk), "documentation": "on", "share_lawyers": "on",
            "given_on": "2024-05-01", "method": "recorded"}
    assert caseworker_client.post(url("consent_add", case), data).status_code == 302
    consent = Consent.objects.get()
    assert consent.scopes == ["documentation", "share_lawyers"] and consent.contact == case.contacts.get()
    page = caseworker_client.get(url("detail", case)).content.decode()
    assert "In force:" in page and "sharing with lawyers" in page


@pytest.mark.parametrize(
    "data",
    [
        {"given_by": "contact", "given_on": "2024-05-01", "method": "verbal"},  # which contact?
        {"given_by": "person", "method": "verbal"},  # when?
        {"given_by": "person", "given_on": "2024-05-01", "method": "telepathy"},
        {"given_by": "person", "given_on": "2024-05-01", "method": "verbal", "notes": TOO_LONG},
    ],
)
def test_record_consent_bad_input(caseworker_client, case, data):
    assert caseworker_client.post(url("consent_add", case), data).status_code == 400
    assert not Consent.objects.exists()


def test_edit_pages_record_the_read(caseworker_client, case):
    for name in ("edit", "contact_add", "event_add", "source_add", "consent_add"):
        assert caseworker_client.get(url(name, case)).status_code == 200
    pages = [e.data["page"] for e in AuditEvent.objects.filter(action=actions.CASE_VIEWED, case_ref=case.reference)]
    assert pages == ["edit", "contact_add", "event_add", "source_add", "consent_add"]


def test_creating_a_second_case_for_the_same_person_warns_of_a_duplicate(caseworker_client):
    first = caseworker_client.post(url("create"), create_data(), follow=True)
    assert b"may already be documented" not in first.content
    second = caseworker_client.post(url("create"), create_data(**{"name_latin": "Jasur Rakhimov"}), follow=True)
    assert second.status_code == 200
    assert b"may already be documented in 1 other case" in second.content
    assert b"/patterns/duplicates/?case=" in second.content


def test_case_list_sorts_a_page_by_name_after_decryption(caseworker_client):
    for latin, cyrillic in (("Zafar Usmonov", "Зафар Усмонов"), ("Bakhtiyor Aliev", "Бахтиёр Алиев"), ("Nurlan Ospanov", "Нурлан Оспанов")):
        caseworker_client.post(url("create"), create_data(name_latin=latin, name_cyrillic=cyrillic))
    body = caseworker_client.get(url("list") + "?sort=name").content.decode()
    assert body.index("Bakhtiyor") < body.index("Nurlan") < body.index("Zafar")
    assert caseworker_client.get(url("list") + "?sort=height").status_code == 400
