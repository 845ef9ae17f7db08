import datetime

import pytest

from audit.models import AuditEvent
from cases import services
from cases.models import Case, Contact, Event, Location, Perpetrator, Person
from tests.factories import make_case

NEW_CASE = {
    "person": {"name_latin": "Dilshod Karimov", "name_cyrillic": "Дилшод Каримов", "nationality": "UZ", "birth_date": "1990-04"},
    "contact": {"name": "Malika Karimova", "relationship": "mother", "phone": "+998900000001"},
    "pathway": "prison",
    "whereabouts": "front",
}


@pytest.fixture
def full_case(cast, case):
    actor = cast.caseworker1
    source = services.source_add(actor=actor, case=case, data={"kind": "family", "title": "Sister's call"})
    place = services.location_create(actor=actor, data={"name": "SIZO-1", "city": "Rostov-on-Don", "facility_type": "sizo"})
    services.event_add(
        actor=actor, case=case, sources=[source],
        data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month", "location": place},
    )
    return case


def test_case_list_is_paginated_and_audited(api, cast):
    refs = [make_case(actor=cast.caseworker1, name_latin=f"Person {i}").reference for i in range(3)]
    client = api("caseworker1")
    body = client.get("/api/v1/cases/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert {c["reference"] for c in body["results"]} < set(refs)
    event = AuditEvent.objects.filter(action="case.list_viewed").latest("id")
    assert len(event.data["cases"]) == 2 and event.data["via"] == "api"


def test_case_list_filters_like_the_web_list(api, cast, full_case):
    other = make_case(actor=cast.caseworker1, name_latin="Timur Aliev", name_cyrillic="Тимур Алиев", nationality="TJ", pathway="debt")
    client = api("caseworker1")

    def refs(query):
        return [c["reference"] for c in client.get(f"/api/v1/cases/?{query}").json()["results"]]

    assert refs("nationality=TJ") == [other.reference]
    assert refs("pathway=debt") == [other.reference]
    assert refs("event_type=detention") == [full_case.reference]
    assert refs("status=closed") == []
    assert [c["reference"] for c in client.post("/api/v1/cases/search/", {"query": other.reference}, format="json").json()["results"]] == [other.reference]
    assert set(refs("")) == {other.reference, full_case.reference}


def test_search_finds_a_person_by_name(api, cast, case):
    make_case(actor=cast.caseworker1, name_latin="Timur Aliev", name_cyrillic="Тимур Алиев")
    client = api("caseworker1")
    found = client.post("/api/v1/cases/search/", {"query": "Rustam Nysanbaev"}, format="json").json()["results"]
    assert [c["reference"] for c in found] == [case.reference]
    # Never in the URL (logs): a GET with a search text is refused, naming the field.
    response = client.get("/api/v1/cases/", {"query": "Rustam Nysanbaev"})
    assert response.status_code == 400 and "query" in response.json()["fields"]


def test_bad_filter_is_a_json_400_naming_the_field(api, case):
    response = api("caseworker1").get("/api/v1/cases/?status=lost&nationality=ZZ")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) == {"status", "nationality"}
    assert "status" in body["message"]


def test_case_detail_includes_the_person(api, full_case):
    body = api("caseworker1").get(f"/api/v1/cases/{full_case.reference}/").json()
    assert body["reference"] == full_case.reference
    assert body["person"]["name_cyrillic"] == "Рустам Нысанбаев"
    assert body["person"]["birth_date"] == "1994-05-17"
    assert body["contacts"] == 1
    assert AuditEvent.objects.filter(action="case.viewed", case_ref=full_case.reference).exists()


def test_persons_list_and_detail(api, full_case):
    client = api("caseworker1")
    people = client.get("/api/v1/persons/").json()["results"]
    assert [p["case"] for p in people] == [full_case.reference]
    person = client.get(f"/api/v1/persons/{full_case.person.pk}/").json()
    assert person["name_latin"] == "Rustam Nysanbaev" and person["nationality"] == "KZ"
    assert AuditEvent.objects.filter(action="person.viewed", case_ref=full_case.reference).exists()


def test_events_and_sources(api, full_case):
    client = api("caseworker1")
    events = client.get(f"/api/v1/cases/{full_case.reference}/events/").json()["results"]
    assert len(events) == 1 and events[0]["type"] == "detention" and events[0]["date_precision"] == "month"
    assert events[0]["location"]["name"] == "SIZO-1"
    event = client.get(f"/api/v1/cases/{full_case.reference}/events/{events[0]['id']}/").json()
    sources = client.get(f"/api/v1/cases/{full_case.reference}/sources/").json()["results"]
    assert event["sources"] == [sources[0]["id"]]
    source = client.get(f"/api/v1/cases/{full_case.reference}/sources/{sources[0]['id']}/").json()
    assert source["title"] == "Sister's call"


def test_create_a_case_with_its_person_and_contact(api, cast):
    response = api("caseworker1").post("/api/v1/cases/", NEW_CASE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert case.person.name_cyrillic == "Дилшод Каримов"
    assert case.person.birth_date == datetime.date(1990, 4, 1) and case.person.birth_date_precision == "month"
    assert case.pathway == "prison" and case.created_by == cast.caseworker1
    assert [c.name for c in case.contacts.all()] == ["Malika Karimova"]
    assert response["Location"].endswith(f"/api/v1/cases/{case.reference}/")
    assert AuditEvent.objects.filter(action="case.created", case_ref=case.reference, actor=cast.caseworker1).count() == 1
    # The creator may read it back at once (the same grant as a case opened in the web UI).
    assert api("caseworker1").get(f"/api/v1/cases/{case.reference}/").status_code == 200


def test_create_with_bad_input_names_the_fields_and_saves_nothing(api):
    bad = {"person": {"name_latin": "", "nationality": "QQ", "birth_date": "2024-13"}, "contact": {"relationship": "cousin"}, "pathway": "x"}
    response = api("caseworker1").post("/api/v1/cases/", bad, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"person.nationality", "contact.name", "contact.relationship", "pathway"} <= set(fields)
    assert not Case.objects.exists() and not Person.objects.exists() and not Contact.objects.exists()


def test_create_with_an_impossible_date_is_400(api):
    body = {**NEW_CASE, "person": {**NEW_CASE["person"], "birth_date": "1990-02-30"}}
    response = api("caseworker1").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400 and "person.birth_date" in response.json()["fields"]
    assert not Case.objects.exists()


def test_malformed_json_is_a_json_400(api):
    response = api("caseworker1").post("/api/v1/cases/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"]


@pytest.mark.parametrize("who", ["legal1", "nobody", "admin1"])
def test_roles_without_intake_cannot_open_cases(api, who):
    response = api(who).post("/api/v1/cases/", NEW_CASE, format="json")
    assert response.status_code == 403 and response.json()["message"]
    assert not Case.objects.exists()


def test_add_an_event(api, full_case, cast):
    source = full_case.sources.get()
    perp = services.perpetrator_create(actor=cast.caseworker1, data={"kind": "institution", "name": "FSIN"})
    place = Location.objects.get()
    payload = {"type": "contract", "date": "2024-04-02", "unit": "Storm-V", "contract_term_months": 12,
               "sources": [str(source.pk)], "perpetrators": [perp.pk], "location": place.pk}
    response = api("caseworker1").post(f"/api/v1/cases/{full_case.reference}/events/", payload, format="json")
    assert response.status_code == 201, response.json()
    event = Event.objects.get(pk=response.json()["id"])
    assert event.unit == "Storm-V" and list(event.sources.all()) == [source] and list(event.perpetrators.all()) == [perp]
    assert AuditEvent.objects.filter(action="event.added", case_ref=full_case.reference).count() == 2


def test_add_an_event_with_another_cases_source_is_400(api, cast, full_case):
    other = make_case(actor=cast.caseworker1, name_latin="Timur Aliev")
    foreign = services.source_add(actor=cast.caseworker1, case=other, data={"kind": "media", "title": "News"})
    response = api("caseworker1").post(f"/api/v1/cases/{full_case.reference}/events/", {"type": "coercion", "sources": [str(foreign.pk)]}, format="json")
    assert response.status_code == 400 and "sources" in response.json()["fields"]
    assert full_case.events.count() == 1


def test_add_an_event_with_a_bad_date_is_400(api, full_case):
    response = api("caseworker1").post(f"/api/v1/cases/{full_case.reference}/events/", {"type": "detention", "date": "yesterday"}, format="json")
    assert response.status_code == 400 and "date" in response.json()["fields"]
    assert full_case.events.count() == 1


def test_oversized_json_is_413(api, settings):
    settings.DALIL_API_MAX_JSON_BYTES = 1000
    response = api("caseworker1").post("/api/v1/cases/", {**NEW_CASE, "notes": "x" * 2000}, format="json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Case.objects.exists()


def test_rate_limit_per_token(api, settings, case):
    settings.DALIL_API_RATE = "3/min"
    client, other = api("caseworker1"), api("caseworker1")
    codes = [client.get("/api/v1/cases/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert other.get("/api/v1/cases/").status_code == 200  # another token has its own budget
    response = client.get("/api/v1/cases/")
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0


# --- The access matrix: what a token sees is what its user would see ----------

def _case_urls(case):
    event = case.events.get()
    source = case.sources.get()
    return [
        f"/api/v1/cases/{case.reference}/",
        f"/api/v1/cases/{case.reference}/events/",
        f"/api/v1/cases/{case.reference}/events/{event.pk}/",
        f"/api/v1/cases/{case.reference}/sources/",
        f"/api/v1/cases/{case.reference}/sources/{source.pk}/",
        f"/api/v1/cases/{case.reference}/files/",
        f"/api/v1/persons/{case.person.pk}/",
    ]


@pytest.mark.parametrize("who", ["caseworker2", "nobody", "legal1", "admin1"])
def test_others_tokens_get_404_on_every_case_endpoint(api, full_case, who):
    client = api(who)
    for url in _case_urls(full_case):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get("/api/v1/persons/").json()["count"] == 0
    response = client.post(f"/api/v1/cases/{full_case.reference}/events/", {"type": "detention"}, format="json")
    assert response.status_code == 404
    assert full_case.events.count() == 1


def test_a_missing_case_looks_the_same_as_a_forbidden_one(api, full_case):
    client = api("caseworker2")
    assert client.get("/api/v1/cases/DAL-1999-9999/").json() == client.get(f"/api/v1/cases/{full_case.reference}/").json()


def test_legal_sees_a_shared_case_but_may_not_add_to_it(api, cast, full_case):
    from cases.access import case_share_with_legal

    case_share_with_legal(actor=cast.caseworker1, case=full_case, user=cast.legal1)
    client = api("legal1")
    for url in _case_urls(full_case):
        assert client.get(url).status_code == 200, url
    assert client.post(f"/api/v1/cases/{full_case.reference}/events/", {"type": "detention"}, format="json").status_code == 404
    assert full_case.events.count() == 1


def test_the_assigned_second_caseworker_sees_the_case(api, cast, full_case):
    from cases.access import case_assign

    case_assign(actor=cast.admin1, user=cast.caseworker2, cases=[full_case])
    assert api("caseworker2").get(f"/api/v1/cases/{full_case.reference}/").status_code == 200


def test_every_api_error_is_json_even_before_a_view_answers(api, case):
    client = api("caseworker1")
    for path in (f"/api/v1/cases/{case.reference}/events/not-a-uuid/", "/api/v1/persons/123/", "/api/v1/nothing/"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
        assert set(response.json()) == {"code", "message", "fields"}


def test_query_parameters_and_ids_out_of_range_are_400(api, case):
    client = api("caseworker1")
    for query in ("page_size=null", "page_size=0", "page_size=101", "page=0", "page=x"):
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 400 and response.json()["code"] == "invalid", query
    for field, value in (("perpetrators", [2**31]), ("location", 2**31)):
        response = client.post(f"/api/v1/cases/{case.reference}/events/", {"type": "detention", field: value}, format="json",
                               HTTP_IDEMPOTENCY_KEY=f"range-{field}")
        assert response.status_code == 400 and any(name.startswith(field) for name in response.json()["fields"])
