"""No edit is lost to another: a save from a form read before someone else's save is refused, and
shows both sides; resending a form already saved is not a conflict."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from audit import actions
from audit.models import AuditEvent
from cases import access, services
from cases.models import Case, Contact, Event, Location, Perpetrator, Source
from tests.cast import role_user


@pytest.fixture
def colleague(db, caseworker, case):
    user = role_user("caseworker", username="caseworker-b")
    access.case_assign(actor=None, user=user, cases=[case])
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(case):
    return reverse("cases:edit", kwargs={"reference": case.reference})


def form_values(response) -> dict:
    """What a browser would post back from the case edit form, as rendered."""
    values = {}
    for form in (response.context["person_form"], response.context["case_form"]):
        for field in form:
            value = field.value()
            if value in (None, False):
                continue
            values[field.html_name] = "on" if value is True else str(value)
    return values


# --- Services ---------------------------------------------------------------------


def test_case_update_from_a_stale_version_is_refused_and_changes_nothing(caseworker, case):
    assert case.version == 1
    services.case_update(actor=caseworker, case=case, data={"notes": "First notes."}, version=1)
    audits = AuditEvent.objects.filter(action=actions.CASE_UPDATED).count()
    with pytest.raises(services.StaleEdit) as refused:
        services.case_update(actor=caseworker, case=case, data={"whereabouts": "front"}, version=1)
    assert refused.value.current.version == 2
    assert refused.value.current.notes == "First notes."
    stored = Case.objects.get(pk=case.pk)
    assert (stored.whereabouts, stored.notes, stored.version) == ("unknown", "First notes.", 2)
    assert AuditEvent.objects.filter(action=actions.CASE_UPDATED).count() == audits


def test_person_changes_raise_both_versions(caseworker, case):
    services.case_update(actor=caseworker, case=case, person={"home_region": "Fergana"}, version=1)
    stored = Case.objects.select_related("person").get(pk=case.pk)
    assert (stored.version, stored.person.version) == (2, 2)
    with pytest.raises(services.StaleEdit):
        services.case_update(actor=caseworker, case=case, person={"home_region": "Osh"}, version=1)


def test_resending_a_saved_form_is_not_a_conflict(caseworker, case):
    services.case_update(actor=caseworker, case=case, data={"notes": "Same."}, version=1)
    assert services.case_update(actor=caseworker, case=case, data={"notes": "Same."}, version=1) == []
    assert Case.objects.get(pk=case.pk).version == 2


def test_contact_event_and_source_carry_versions(caseworker, case):
    contact = Contact.objects.get(case=case)
    services.contact_update(actor=caseworker, contact=contact, data={"phone": "+7 701 000 0002"}, version=1)
    with pytest.raises(services.StaleEdit):
        services.contact_update(actor=caseworker, contact=contact, data={"phone": "+7 701 000 0003"}, version=1)
    assert Contact.objects.get(pk=contact.pk).phone == "+7 701 000 0002"

    event = services.event_add(actor=caseworker, case=case, data={"type": "detention", "date": None, "date_precision": "unknown"})
    source = services.source_add(actor=caseworker, case=case, data={"kind": "family", "title": "Sister's call"})
    services.event_update(actor=caseworker, event=event, data={}, sources=[source], version=1)
    with pytest.raises(services.StaleEdit):
        services.event_update(actor=caseworker, event=event, data={"description": "Later."}, version=1)
    assert (Event.objects.get(pk=event.pk).version, Event.objects.get(pk=event.pk).description) == (2, "")

    services.source_update(actor=caseworker, source=source, data={"reliability": "confirmed"}, version=1)
    with pytest.raises(services.StaleEdit):
        services.source_update(actor=caseworker, source=source, data={"title": "Changed"}, version=1)
    assert Source.objects.get(pk=source.pk).title == "Sister's call"


# --- Two people on one case's edit form ----------------------------------------------


def test_two_sessions_editing_one_case_lose_nothing(caseworker, colleague, case):
    first, second = client_of(caseworker), client_of(colleague)
    form_first = form_values(first.get(edit_url(case)))
    form_second = form_values(second.get(edit_url(case)))
    assert form_first["version"] == form_second["version"] == "1"

    saved = first.post(edit_url(case), {**form_first, "notes": "Mother called on Monday."})
    assert saved.status_code == 302

    refused = second.post(edit_url(case), {**form_second, "whereabouts": "front"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    rows = {row["label"]: row for row in refused.context["conflict"]}
    assert rows["Notes"]["theirs"] == "Mother called on Monday."
    assert rows["Notes"]["yours"] == "(empty)"
    assert rows["Current known whereabouts"]["yours"] == "At the front"
    # What the second person typed is kept, and the form now carries the stored version.
    assert '<option value="front" selected>' in page
    assert 'name="version" value="2"' in page
    stored = Case.objects.get(pk=case.pk)
    assert (stored.notes, stored.whereabouts, stored.version) == ("Mother called on Monday.", "unknown", 2)

    # The second person merges (keeps the notes) and saves again: now both changes stand.
    merged = second.post(edit_url(case), {**form_second, "version": "2", "whereabouts": "front", "notes": "Mother called on Monday."})
    assert merged.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert (stored.notes, stored.whereabouts, stored.version) == ("Mother called on Monday.", "front", 3)


def test_stale_contact_form_is_refused(caseworker, colleague, case):
    contact = Contact.objects.get(case=case)
    target = reverse("cases:contact_edit", kwargs={"reference": case.reference, "contact_id": contact.pk})
    base = {"name": contact.name, "relationship": "sister", "is_reporter": "on", "version": "1"}
    assert client_of(caseworker).post(target, {**base, "phone": "111"}).status_code == 302
    refused = client_of(colleague).post(target, {**base, "messenger": "@aigerim"})
    assert refused.status_code == 409
    labels = {row["label"] for row in refused.context["conflict"]}
    assert labels == {"Phone", "Messenger handle"}
    assert Contact.objects.get(pk=contact.pk).messenger == ""


def test_stale_event_form_shows_perpetrators_and_sources(caseworker, colleague, case):
    event = services.event_add(
        actor=caseworker, case=case, data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month"}
    )
    target = reverse("cases:event_edit", kwargs={"reference": case.reference, "event_id": event.pk})
    base = {"type": "detention", "date": "2024-03", "version": "1"}
    assert client_of(caseworker).post(target, {**base, "description": "Beaten at the station."}).status_code == 302
    # A place and a perpetrator typed in on the refused form are one user action with the event: not made either.
    typed_in = {"new_location_name": "IVS No. 2", "new_location_kind": "facility", "new_perpetrator_name": "Unit 3", "new_perpetrator_kind": "unit"}
    refused = client_of(colleague).post(target, {**base, "date": "2024-04", **typed_in})
    assert refused.status_code == 409
    assert not Location.objects.filter(name="IVS No. 2").exists() and not Perpetrator.objects.filter(name="Unit 3").exists()
    rows = {row["label"]: row for row in refused.context["conflict"]}
    assert rows["Description"]["theirs"] == "Beaten at the station."
    assert rows["Date"]["theirs"] == "March 2024" and rows["Date"]["yours"] == "April 2024"


def test_a_merge_makes_forms_on_both_cases_stale_and_indexes_what_moved(caseworker, case):
    from cases.blind_index import person_ids_matching
    from patterns.services import case_merge
    from tests.factories import make_case

    dup = make_case(actor=caseworker, name_latin="Rustam Nysanbayev", name_cyrillic="")
    services.contact_add(actor=caseworker, case=dup, data={"name": "Gulnara Seitova", "relationship": "mother", "is_reporter": True})
    case_merge(actor=caseworker, kept=case, merged=dup)
    with pytest.raises(services.StaleEdit):
        services.case_update(actor=caseworker, case=case, data={"notes": "from an old form"}, version=1)
    with pytest.raises(services.StaleEdit):
        services.case_update(actor=caseworker, case=dup, data={"notes": "from an old form"}, version=1)
    assert case.person_id in person_ids_matching("Nysanbayev")  # the merged name, now an alias (the closed case keeps it too)
    assert person_ids_matching("Gulnara Seitova", reporters=True) == [case.person_id]  # the reporter who moved
