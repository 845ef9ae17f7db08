"""The API's ETag / If-Match: two clients editing one case; the stale one gets 412 and changes nothing."""

import json

from cases.models import Case, Event, Source
from cases import services


def case_url(case):
    return f"/api/v1/cases/{case.reference}/"


def test_two_clients_edit_one_case_and_the_stale_one_gets_412(api, cast, case):
    first, second = api("caseworker1"), api("caseworker1")
    read_first, read_second = first.get(case_url(case)), second.get(case_url(case))
    assert read_first["ETag"] == read_second["ETag"] == '"1"'
    assert read_first.json()["version"] == 1

    saved = first.patch(case_url(case), {"notes": "Mother called."}, format="json", HTTP_IF_MATCH=read_first["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"2"' and saved.json()["notes"] == "Mother called."

    stale = second.patch(case_url(case), {"whereabouts": "front"}, format="json", HTTP_IF_MATCH=read_second["ETag"])
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert stale["ETag"] == '"2"'
    stored = Case.objects.get(pk=case.pk)
    assert (stored.notes, stored.whereabouts, stored.version) == ("Mother called.", "unknown", 2)

    retried = second.patch(case_url(case), {"whereabouts": "front"}, format="json", HTTP_IF_MATCH=stale["ETag"])
    assert retried.status_code == 200
    stored = Case.objects.get(pk=case.pk)
    assert (stored.notes, stored.whereabouts, stored.version) == ("Mother called.", "front", 3)


def test_a_change_without_if_match_is_refused_with_428(api, case):
    response = api("caseworker1").patch(case_url(case), {"notes": "x"}, format="json")
    assert response.status_code == 428
    assert Case.objects.get(pk=case.pk).notes == ""


def test_a_foreign_or_malformed_tag_matches_nothing(api, case):
    client = api("caseworker1")
    for tag in ('"999"', "W/\"0\"", "garbage", '"1" , "2"'):
        response = client.patch(case_url(case), {"notes": "x"}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, tag
    assert client.patch(case_url(case), {"notes": "x"}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_person_fields_change_through_the_case_and_keep_a_name(api, case):
    client = api("caseworker1")
    response = client.patch(case_url(case), {"person": {"home_region": "Almaty", "birth_date": "1990"}}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    person = Case.objects.select_related("person").get(pk=case.pk).person
    assert (person.home_region, person.birth_date.year, person.birth_date_precision, person.version) == ("Almaty", 1990, "year", 2)
    emptied = client.patch(case_url(case), {"person": {"name_latin": "", "name_cyrillic": ""}}, format="json", HTTP_IF_MATCH='"2"')
    assert emptied.status_code == 400
    assert Case.objects.select_related("person").get(pk=case.pk).person.name_latin == "Rustam Nysanbaev"


def test_read_tokens_and_outsiders_cannot_change(api, case):
    assert api("caseworker1", scope="read").patch(case_url(case), {"notes": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code == 403
    assert api("nobody").patch(case_url(case), {"notes": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code == 404
    assert api("caseworker2").patch(case_url(case), {"notes": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code == 404
    assert Case.objects.get(pk=case.pk).notes == ""


def test_events_and_sources_carry_etags(api, cast, case):
    client = api("caseworker1")
    event = services.event_add(actor=cast.caseworker1, case=case, data={"type": "detention", "date": None, "date_precision": "unknown"})
    source = services.source_add(actor=cast.caseworker1, case=case, data={"kind": "family", "title": "Sister's call"})
    event_url = f"{case_url(case)}events/{event.pk}/"
    read = client.get(event_url)
    assert read["ETag"] == '"1"'
    changed = client.patch(event_url, {"date": "2024-03", "sources": [str(source.pk)]}, format="json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"' and changed.json()["sources"] == [str(source.pk)]
    assert client.patch(event_url, {"description": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert Event.objects.get(pk=event.pk).description == ""

    source_url = f"{case_url(case)}sources/{source.pk}/"
    assert client.get(source_url)["ETag"] == '"1"'
    assert client.patch(source_url, {"reliability": "confirmed"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    assert client.patch(source_url, {"title": "Other"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert Source.objects.get(pk=source.pk).title == "Sister's call"


def test_the_schema_documents_if_match_etag_412_and_428(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    patch = schema["paths"]["/api/v1/cases/{reference}/"]["patch"]
    assert {"If-Match"} <= {p["name"] for p in patch["parameters"]}
    assert {"412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "ETag" in schema["paths"]["/api/v1/cases/{reference}/"]["get"]["responses"]["200"]["headers"]


def test_two_clients_edit_one_contact_and_the_stale_one_gets_412(api, cast, case):
    from cases.models import Contact

    contact = services.contact_add(actor=cast.caseworker1, case=case, data={"name": "Dilnoza", "relationship": "brother"})
    url = f"{case_url(case)}contacts/{contact.pk}/"
    first, second = api("caseworker1"), api("caseworker1")
    listed = first.get(f"{case_url(case)}contacts/")
    assert listed.status_code == 200 and str(contact.pk) in {c["id"] for c in listed.json()["results"]}
    read_first, read_second = first.get(url), second.get(url)
    assert read_first["ETag"] == read_second["ETag"] == '"1"' and read_first.json()["name"] == "Dilnoza"

    saved = first.patch(url, {"phone": "+998 90 123 45 67"}, format="json", HTTP_IF_MATCH=read_first["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"2"' and saved.json()["phone"] == "+998 90 123 45 67"

    stale = second.patch(url, {"address": "Samarkand"}, format="json", HTTP_IF_MATCH=read_second["ETag"])
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed" and stale["ETag"] == '"2"'
    assert second.patch(url, {"address": "Samarkand"}, format="json").status_code == 428
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.phone, stored.address, stored.version, stored.relationship) == ("+998 90 123 45 67", "", 2, "brother")

    retried = second.patch(url, {"address": "Samarkand"}, format="json", HTTP_IF_MATCH=stale["ETag"])
    assert retried.status_code == 200 and retried["ETag"] == '"3"'
    # Another caseworker's token, and a read-only token, change nothing.
    assert api("caseworker2").get(url).status_code == 404
    assert api("caseworker2").patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH='"3"').status_code == 404
    assert api("caseworker1", scope="read").patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH='"3"').status_code == 403
    assert Contact.objects.get(pk=contact.pk).name == "Dilnoza"
