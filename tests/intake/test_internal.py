"""The internal side: the queue, triage into a new or an existing case, replies, retention, a separate host."""

import datetime
import json

import pytest

from audit.models import AuditEvent
from cases.models import Case, Consent, Contact, Source
from evidence.models import EvidenceFile
from intake import services
from intake.models import Message, Submission
from tests.cast import sign_in

from .conftest import ANSWERS, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(client):
    response = client.post("/report/tg/", {**ANSWERS, "files": [upload("passport.jpg", jpeg_with_gps())]})
    assert response.status_code == 200
    client.logout()
    return Submission.objects.get()


def test_only_triage_staff_see_the_queue_and_a_report(client, cast, report):
    sign_in(client, cast.legal1)
    assert client.get("/intake/").status_code == 404
    assert client.get(f"/intake/{report.pk}/").status_code == 404
    sign_in(client, cast.caseworker1)
    page = client.get("/intake/")
    assert page.status_code == 200 and str(report.pk) in page.content.decode()
    detail = client.get(f"/intake/{report.pk}/").content.decode()
    assert "Нодиржон Қаҳҳоров" in detail and "passport.jpg" in detail
    assert AuditEvent.objects.filter(action="intake.report.viewed", actor=cast.caseworker1).exists()


def test_triage_into_a_new_case_brings_person_reporter_events_source_consent_and_evidence(client, cast, report, django_capture_on_commit_callbacks):
    sign_in(client, cast.caseworker1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/intake/{report.pk}/decide", {"decision": "new"})
    assert response.status_code == 302
    report.refresh_from_db()
    case = report.case
    assert report.status == "new_case" and case.created_by == cast.caseworker1
    assert case.person.name_cyrillic == "Нодиржон Қаҳҳоров" and case.person.birth_date == datetime.date(1996, 3, 14)
    assert case.pathway == "migrant_raid" and case.whereabouts == "front"
    reporter = Contact.objects.get(case=case, is_reporter=True)
    assert reporter.relationship == "mother" and "20:00" in reporter.safe_contact_notes and reporter.consents_to_contact
    assert Source.objects.get(case=case).kind == Source.Kind.FAMILY
    assert set(case.events.values_list("type", flat=True)) >= {"recruitment", "coercion", "contract", "family_contact"}
    consent = Consent.objects.get(case=case)
    assert consent.documentation and consent.share_lawyers and not consent.statistics
    evidence = EvidenceFile.objects.get(case=case)
    assert evidence.method == "form" and "SHA-256 at arrival" in evidence.description
    assert evidence.custody_events.filter(action="received").exists()
    assert AuditEvent.objects.filter(action="intake.report.triaged", case_ref=case.reference).exists()
    # Twice is refused: the report is no longer waiting.
    again = client.post(f"/intake/{report.pk}/decide", {"decision": "new"})
    assert again.status_code == 302 and Case.objects.count() == 3  # the cast's two cases and this one, no fourth


def test_triage_into_an_existing_case_needs_change_rights_on_it(client, cast, report):
    sign_in(client, cast.caseworker1)
    other = client.post(f"/intake/{report.pk}/decide", {"decision": "existing", "reference": cast.other_case.reference})
    assert other.status_code == 404
    report.refresh_from_db()
    assert report.status == "new"
    mine = client.post(f"/intake/{report.pk}/decide", {"decision": "existing", "reference": cast.case.reference})
    assert mine.status_code == 302
    report.refresh_from_db()
    assert report.status == "added" and report.case == cast.case
    assert Contact.objects.filter(case=cast.case, is_reporter=True).count() == 2


def test_a_failure_during_triage_leaves_nothing_half_made(client, cast, report, monkeypatch):
    from intake import triage

    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(triage, "evidence_attach", broken)
    cases_before = Case.objects.count()
    sign_in(client, cast.caseworker1)
    with pytest.raises(RuntimeError):
        client.post(f"/intake/{report.pk}/decide", {"decision": "new"})
    report.refresh_from_db()
    assert report.status == "new" and Case.objects.count() == cases_before


def test_decline_with_a_reply_the_family_reads(client, cast, report):
    sign_in(client, cast.caseworker1)
    client.post(f"/intake/{report.pk}/decide", {"decision": "decline", "reply": "We work only on cases in Russia; try this hotline."})
    report.refresh_from_db()
    assert report.status == "declined"
    message = Message.objects.get(submission=report)
    assert b"hotline" not in bytes(message.sealed)


def test_a_reply_written_after_the_session_ended_comes_back_in_its_box_unsent(client, cast, report, settings):
    from django.test import Client

    from tests.factories import PASSWORD

    settings.DALIL_2FA_REQUIRED_FOR = []
    url = f"/intake/{report.pk}/reply"
    browser = Client()
    response = browser.post(url, {"text": "Call us on Thursday; we have found a lawyer in Rostov."})
    assert response.status_code == 401 and "Rostov" not in response.content.decode()
    draft = response.content.decode().split('name="draft" value="')[1].split('"')[0]
    signed = browser.post("/accounts/login/", {"username": "caseworker1", "password": PASSWORD, "next": url, "draft": draft})
    assert signed.status_code == 302
    page = browser.get(signed["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "we have found a lawyer in Rostov.</textarea>" in text and "nothing was saved" in text
    assert not Message.objects.filter(submission=report, author__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="intake.report.replied").exists()
    assert browser.get(url).status_code == 405  # shown once; the address itself is still POST only


def test_untriaged_reports_are_destroyed_after_the_retention_period_with_a_record(cast, report):
    from intake.models import Attachment

    assert services.destroy_expired(today=report.received_on + datetime.timedelta(days=30)) == 0
    services.retention_set(actor=cast.admin1, days=10)
    assert services.destroy_expired(today=report.received_on + datetime.timedelta(days=11)) == 1
    report.refresh_from_db()
    assert report.status == "destroyed" and bytes(report.sealed) == b"" and not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="intake.report.destroyed").exists()


def test_a_separate_public_host_hands_over_ciphertext_only(client, cast, report, settings):
    from intake import fetch

    settings.DALIL_INTAKE_FETCH_TOKEN = "a-long-shared-token-for-the-exchange"
    assert client.post("/outbox/", content_type="application/json").status_code in (403, 404)
    from intake.outbox import pending, take

    data = pending()
    assert len(data["reports"]) == 1 and len(data["files"]) == 1
    assert "Нодиржон" not in json.dumps(data, ensure_ascii=False)
    payload = json.loads(json.dumps(data))
    take({"reports": [r["id"] for r in payload["reports"]], "files": [f["id"] for f in payload["files"]], "messages": []})
    report.refresh_from_db()
    assert report.fetched and bytes(report.sealed) == b""  # the public host forgets what the internal side took
    # The internal side stores what it was given (here into the same database, after the public copy was emptied).
    Submission.objects.all().delete()
    acks = fetch.store(payload)
    assert acks["reports"] == [payload["reports"][0]["id"]]
    assert services.opened(Submission.objects.get())["answers"]["name"] == "Нодиржон Қаҳҳоров"


def test_an_exchange_that_fails_at_its_last_reply_forgets_nothing(cast, report):
    """take() is one durable transaction: a bad reply at the end leaves the report held, its ciphertext intact."""
    import binascii

    from intake.outbox import take

    sealed = bytes(report.sealed)
    with pytest.raises(binascii.Error):
        take({"reports": [str(report.pk)], "replies": [{"submission": str(report.pk), "sealed": "not base64!"}]})
    report.refresh_from_db()
    assert not report.fetched and bytes(report.sealed) == sealed
    assert not Message.objects.filter(submission=report, sender=Message.From.ORGANISATION).exists()


def test_the_outbox_answers_a_body_that_is_not_an_object(rf, report, settings):
    from intake.views_outbox import outbox

    settings.DALIL_INTAKE_FETCH_TOKEN = "a-long-shared-token-for-the-exchange"
    request = rf.post("/outbox/", "[1, 2]", content_type="application/json",
                      HTTP_AUTHORIZATION="Bearer a-long-shared-token-for-the-exchange")
    response = outbox(request)
    assert response.status_code == 200 and len(json.loads(response.content)["reports"]) == 1
    report.refresh_from_db()
    assert not report.fetched


def test_the_queue_counts_files_in_the_view_not_row_by_row(client, cast, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries() -> tuple[int, str]:
        sign_in(client, cast.caseworker1)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/intake/").content.decode()
        client.logout()
        return len(queries), page

    one, page = queue_queries()
    assert "<td>1</td>" in page  # the report's one file
    for _ in range(2):
        assert client.post("/report/tg/", {**ANSWERS, "files": [upload("passport.jpg", jpeg_with_gps())]}).status_code == 200
        client.logout()
    three, _page = queue_queries()
    assert three == one
