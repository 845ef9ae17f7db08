"""An attacker's probes of the casework and retention work (issue 22): a stolen caseworker session, a curious
colleague without access, a phished admin. Each probe is written as the attack; those that found a hole keep it shut."""

import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Case
from casework import notes, reviews, searches
from casework.models import FollowUp
from casework.models_collab import Notification
from casework.models_searches import SavedSearch
from casework.services import follow_up_add
from retention import destruction, services
from retention.models import CaseTombstone, RetentionPolicy
from tests.cast import make_stale, sign_in

pytestmark = pytest.mark.django_db

LIST_CSV = "ФИО;Дата рождения\nНысанбаев Рустам;17.05.1994\n"


# --- A stolen session diverting the account's mail -------------------------------------------------------------


def test_a_stolen_session_cannot_divert_the_accounts_mail_without_the_password(client, cast, django_capture_on_commit_callbacks):
    """The address gets the "second factor added" notice (accounts/factors.py): a thief who sets their own address
    first would add a factor unseen. Hole found: the notifications settings page changed it with no password."""
    sign_in(client, cast.caseworker1)
    make_stale(client)
    response = client.post("/notifications/settings", {"email": "thief@example.net", "email_digest": "on"})
    assert response.status_code == 302 and "/reauthenticate" in response["Location"]
    cast.caseworker1.refresh_from_db()
    assert cast.caseworker1.email == "caseworker1@example.org"
    # Turning the digest off needs no password (the address stays).
    assert client.post("/notifications/settings", {"email": "caseworker1@example.org"}).status_code == 302
    # With the password just typed, the change is made, and the old address is told (no case content).
    sign_in(client, cast.caseworker1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/notifications/settings", {"email": "new@example.org"}).status_code == 302
    cast.caseworker1.refresh_from_db()
    assert cast.caseworker1.email == "new@example.org"
    assert [m.to for m in mail.outbox] == [["caseworker1@example.org"]]
    assert cast.case.reference not in mail.outbox[0].body and "Nysanbaev" not in mail.outbox[0].body


# --- A phished admin session and retention ---------------------------------------------------------------------


def test_a_stolen_admin_session_cannot_shorten_retention_or_destroy_without_the_password(client, cast):
    """Hole found: a period of one day for active cases made nearly every case due, destroyable by the session alone."""
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    Case.objects.filter(pk=cast.case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=400))
    sign_in(client, cast.admin1)
    make_stale(client)
    response = client.post("/retention/policies", {"active": "1", "intake": "1", "closed": "365"})
    assert response.status_code == 302 and "/reauthenticate" in response["Location"]
    assert dict(RetentionPolicy.objects.values_list("status", "days")) == {"closed": 365}
    response = client.post("/retention/destroy", {"case": cast.case.reference, "confirmation": cast.case.reference, "reason": "gone"})
    assert response.status_code == 302 and "/reauthenticate" in response["Location"]
    assert not CaseTombstone.objects.exists()


def test_no_get_destroys_or_changes_anything(client, cast):
    sign_in(client, cast.admin1)
    for url in ("/retention/destroy", "/retention/policies", "/retention/prepare", "/notifications/read"):
        assert client.get(url).status_code == 405, url
    sign_in(client, cast.caseworker1)
    follow_up = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call the sister", assignee=cast.caseworker1, due=timezone.localdate())
    assert client.get(f"/cases/{cast.case.reference}/follow-ups/{follow_up.pk}/done").status_code == 405
    follow_up.refresh_from_db()
    assert follow_up.done_at is None
    from casework.tags import case_tag_add, tag_create

    tag = tag_create(actor=cast.admin1, name="Urgent")
    case_tag_add(actor=cast.caseworker1, case=cast.case, tag=tag)
    search = searches.saved_search_create(actor=cast.caseworker1, name="Mine", query="", filters={})
    review = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1)
    assert client.get(f"/cases/{cast.case.reference}/tags/{tag.pk}/remove").status_code == 405
    assert client.get(f"/searches/{search.pk}/delete").status_code == 405
    sign_in(client, cast.legal1)
    assert client.get(f"/cases/{cast.case.reference}/reviews/{review.pk}/answer?decision=approve").status_code == 405
    sign_in(client, cast.admin1)
    assert client.get(f"/manage/tags/{tag.pk}/retire").status_code == 405
    tag.refresh_from_db()
    review.refresh_from_db()
    assert tag.retired_at is None and review.state == "pending" and SavedSearch.objects.filter(pk=search.pk).exists()
    assert cast.case.case_tags.filter(tag=tag).exists()


def test_destruction_leaves_no_list_match_naming_the_person(cast, django_capture_on_commit_callbacks):
    """Hole found: a list match (proposed or decided) kept the person's id beside a published list's entry, whose name
    stays readable: the destroyed case's person was named again."""
    from patterns import list_imports
    from patterns.models import MatchCandidate, MatchDecision
    from patterns.services import match_reject

    with django_capture_on_commit_callbacks(execute=True):
        source_list = list_imports.source_list_create(actor=cast.caseworker1, data={"title": "Contract soldiers"})
        upload = list_imports.list_upload_create(actor=cast.caseworker1, source_list=source_list, filename="l.csv", content=LIST_CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        list_imports.list_import_start(actor=cast.caseworker1, upload=upload, mapping={"full_name": "ФИО", "birth_date": "Дата рождения"})
    candidate = MatchCandidate.objects.get(person_id=cast.case.person_id)
    match_reject(actor=cast.caseworker1, candidate=candidate)
    assert MatchDecision.objects.filter(person_id=cast.case.person_id).exists()
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    Case.objects.filter(pk=cast.case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=400))
    cast.case.refresh_from_db()
    destruction.case_destroy(actor=cast.admin1, case=cast.case, reason="Past retention", confirmation=cast.case.reference)
    assert not MatchCandidate.objects.filter(person_id=cast.case.person_id).exists()
    assert not MatchDecision.objects.filter(person_id=cast.case.person_id).exists()


# --- Another user's ids: the same 404 as a missing one -------------------------------------------------------------


def test_another_users_saved_search_is_the_same_404_as_a_missing_one(client, cast):
    mine = searches.saved_search_create(actor=cast.caseworker1, name="Nysanbaev family", query="Nysanbaev", filters={})
    sign_in(client, cast.caseworker2)
    for pk in (mine.pk, uuid.uuid4()):
        assert client.get(f"/searches/{pk}/").status_code == 404
        assert client.post(f"/searches/{pk}/delete").status_code == 404
    assert SavedSearch.objects.filter(pk=mine.pk).exists()
    assert "Nysanbaev" not in client.get("/cases/").content.decode()  # neither its name nor its text on the list


def test_a_shared_search_opens_only_the_openers_own_cases(client, cast):
    shared = searches.saved_search_create(actor=cast.caseworker1, name="Kazakh cases", query="", filters={}, shared_with="caseworker")
    sign_in(client, cast.outsider)
    response = client.get(f"/searches/{shared.pk}/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert cast.case.reference not in page and cast.other_case.reference in page


def test_another_users_follow_up_review_and_notification_ids_do_nothing(client, cast):
    theirs = follow_up_add(actor=cast.outsider, case=cast.other_case, what="Call the mother", assignee=cast.outsider, due=timezone.localdate())
    review = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="Check the statement")
    notes.note_add(actor=cast.caseworker1, case=cast.case, text="Sister is hiding in Osh @legal1")
    theirs_notification = Notification.objects.filter(recipient=cast.legal1).first()
    sign_in(client, cast.caseworker1)
    # Another case's follow-up id under my own case: as missing.
    for pk in (theirs.pk, uuid.uuid4()):
        assert client.post(f"/cases/{cast.case.reference}/follow-ups/{pk}/done").status_code == 404
    assert FollowUp.objects.get(pk=theirs.pk).done_at is None
    # A review asked of someone else, answered by me who can see the case: as missing.
    for pk in (review.pk, uuid.uuid4()):
        assert client.post(f"/cases/{cast.case.reference}/reviews/{pk}/answer", {"decision": "approve"}).status_code == 404
    review.refresh_from_db()
    assert review.state == "pending"
    # Someone else's notification id, or a number no column can hold: nothing changes, no 500.
    for value in (str(theirs_notification.pk), "9" * 40, "-1"):
        assert client.post("/notifications/read", {"id": value}).status_code in (302, 404)
    assert Notification.objects.get(pk=theirs_notification.pk).read_at is None
    # The outsider reaches none of it through the case's pages.
    sign_in(client, cast.outsider)
    for url in (f"/cases/{cast.case.reference}/notes/", f"/cases/{cast.case.reference}/reviews/", f"/cases/{cast.case.reference}/follow-ups/"):
        assert client.get(url).status_code == 404
    assert "Osh" not in client.get("/notifications/").content.decode()



# --- Reads of what follow-ups say are in the audit --------------------------------------------------------------


def test_reading_follow_ups_is_audited_with_the_cases_shown(client, cast):
    """Hole found: the follow-ups page and My work showed what follow-ups say ("call Rustam's sister") with no record
    of the case read (the follow-ups page wrote nothing, My work no case)."""
    from audit.models import AuditEvent

    follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call the sister in Osh", assignee=cast.caseworker1, due=timezone.localdate())
    sign_in(client, cast.caseworker1)
    assert "Call the sister in Osh" in client.get(f"/cases/{cast.case.reference}/follow-ups/").content.decode()
    assert AuditEvent.objects.filter(action="case.viewed", actor=cast.caseworker1, case_ref=cast.case.reference, data__page="follow-ups").exists()
    assert "Call the sister in Osh" in client.get("/my-work/").content.decode()
    event = AuditEvent.objects.filter(action="casework.my_work.viewed", actor=cast.caseworker1).latest("pk")
    assert event.data["cases"] == [str(cast.case.pk)]


# --- The contacts API: another case's contact under one's own case, and fields nobody may set -----------------------


def test_the_contacts_api_takes_no_other_cases_contact_and_no_mass_assignment(cast):
    from cases import services as case_services
    from cases.models import Contact
    from tests.api.conftest import client_for

    theirs = Contact.objects.filter(case=cast.other_case).first()
    mine = case_services.contact_add(actor=cast.caseworker1, case=cast.case, data={"name": "Dilnoza", "relationship": "brother"})
    client = client_for(cast.caseworker1)
    base = f"/api/v1/cases/{cast.case.reference}/contacts/"
    for pk in (theirs.pk, uuid.uuid4()):  # another case's contact under my case: as missing
        assert client.get(f"{base}{pk}/").status_code == 404
        assert client.patch(f"{base}{pk}/", {"name": "X"}, format="json", HTTP_IF_MATCH='"1"').status_code == 404
    sneaky = {"name": "Dilnoza K.", "case": cast.other_case.reference, "id": str(uuid.uuid4()), "version": 99, "created_at": "2000-01-01T00:00:00Z"}
    response = client.patch(f"{base}{mine.pk}/", sneaky, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    stored = Contact.objects.get(pk=mine.pk)
    assert (stored.case_id, stored.version, stored.name) == (cast.case.pk, 2, "Dilnoza K.")
    assert stored.created_at.year != 2000
    assert Contact.objects.get(pk=theirs.pk).name == "Aigerim Nysanbaeva"


# --- A stolen database: nothing typed into casework is readable ----------------------------------------------------


def test_a_dump_of_the_casework_tables_holds_none_of_what_was_typed(cast):
    from django.db import connection

    from casework.tags import tag_create

    secret = "Nysanbaev hides in Osh"
    follow_up_add(actor=cast.caseworker1, case=cast.case, what=f"Call {secret}", assignee=cast.caseworker1, due=timezone.localdate())
    notes.note_add(actor=cast.caseworker1, case=cast.case, text=f"{secret} @legal1")
    review = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message=secret)
    reviews.review_answer(actor=cast.legal1, review=review, approve=False, comments=secret)
    searches.saved_search_create(actor=cast.caseworker1, name=secret, query=secret, filters={})
    tag_create(actor=cast.admin1, name=secret, description=secret)
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                       "AND (table_name LIKE 'casework%%' OR table_name = 'audit_auditevent') AND data_type IN ('text', 'character varying', 'jsonb')")
        columns = cursor.fetchall()
        assert len(columns) > 10
        for table, column in columns:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', ["%Nysanbaev%"])  # noqa: S608 - names from the catalogue
            assert cursor.fetchone()[0] == 0, f"{table}.{column} holds what was typed"


def test_after_destruction_no_hold_or_extension_reason_remains_readable(cast):
    """Hole found: the words of a hold, its lifting and an extension (a court, a proceeding, a name) stayed in plain
    text on their rows and in the audit trail, which outlives the case."""
    from django.db import connection

    from retention.models import RetentionExtension

    services.policy_set(actor=cast.admin1, status="closed", days=365)
    Case.objects.filter(pk=cast.case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=400))
    cast.case.refresh_from_db()
    services.hold_set(actor=cast.legal1, case=cast.case, reason="Basmanny court, Nysanbaev v. unit 12345")
    services.hold_lift(actor=cast.legal1, case=cast.case, reason="Nysanbaev appeal ended")
    extension = services.retention_extend(actor=cast.admin1, case=cast.case, until=timezone.localdate() + datetime.timedelta(days=1),
                                          reason="Nysanbaev sister asked")
    RetentionExtension.objects.filter(pk=extension.pk).update(until=timezone.localdate() - datetime.timedelta(days=1))  # time passes
    destruction.case_destroy(actor=cast.admin1, case=cast.case, reason="Past retention", confirmation=cast.case.reference)
    with connection.cursor() as cursor:
        for table, column in (("retention_legalhold", "reason"), ("retention_legalhold", "lift_reason"),
                              ("retention_retentionextension", "reason"), ("audit_auditevent", "data")):
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', ["%Nysanbaev%"])  # noqa: S608 - fixed names
            assert cursor.fetchone()[0] == 0, f"{table}.{column}"
