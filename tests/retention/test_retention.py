"""Retention and legal hold: periods per status, the monthly list, holds (explicit and by open referrals), and a
destruction that only a named admin confirms, that is whole or nothing, and that leaves a tombstone and no content."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Contact, Person, PersonIndexEntry
from casework.models_tags import CaseTag
from casework.services import follow_up_add
from casework.tags import case_tag_add, tag_create
from evidence.models import EvidenceFile
from evidence.services import evidence_attach
from keys.aead import open_text
from retention import destruction, selectors, services
from retention.models import CaseTombstone, RetentionReview
from tests.cast import build_cast, sign_in

pytestmark = pytest.mark.django_db

NAME = "Rustam Nysanbaev"


def _past_retention(cast, *, days_ago=400):
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    Case.objects.filter(pk=cast.case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=days_ago))
    cast.case.refresh_from_db()
    return cast.case


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - names are constants of this test
        return cursor.fetchone()[0]


def _with_file(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file = evidence_attach(actor=cast.caseworker1, case=cast.case, content=b"the statement", original_name="statement.txt", source_label="sister")
    file.refresh_from_db()
    return file


def test_due_list_holds_and_extensions(cast, settings):
    from retention.tasks import review_prepare_task

    case = _past_retention(cast)
    assert list(selectors.cases_due()) == [case]
    assert settings.CELERY_BEAT_SCHEDULE["retention-review"]["task"] == "retention.review_prepare"
    review = RetentionReview.objects.get(pk=review_prepare_task.delay().get())  # what beat runs on the first of the month
    assert AuditEvent.objects.filter(action="retention.review.prepared", actor__isnull=True).count() == 1
    assert list(review.cases.all()) == [case]
    assert services.review_prepare() == review and RetentionReview.objects.count() == 1  # beat twice a month: one list
    services.retention_extend(actor=cast.admin1, case=case, until=timezone.localdate() + datetime.timedelta(days=90), reason="Family asked")
    assert not selectors.cases_due().exists()
    with pytest.raises(services.RetentionError):
        services.retention_extend(actor=cast.admin1, case=case, until=timezone.localdate(), reason="x")
    assert AuditEvent.objects.filter(action="retention.case.extended", case_ref=case.reference).count() == 1


def test_a_hold_or_an_open_referral_blocks_destruction(cast):
    from referrals.services import referral_create

    case = _past_retention(cast)
    hold = services.hold_set(actor=cast.legal1, case=case, reason="Court order 12/2026")
    with pytest.raises(services.RetentionError):
        services.hold_set(actor=cast.admin1, case=case, reason="again")
    with pytest.raises(services.RetentionError, match="legal hold"):
        destruction.case_destroy(actor=cast.admin1, case=case, reason="Past retention", confirmation=case.reference)
    services.hold_lift(actor=cast.admin1, case=case, reason="Court order ended")
    referral_create(actor=cast.legal1, case=case, data={"recipient_name": "Justice Partners", "recipient_kind": "lawyer",
                                                        "person_redaction": "pseudonym", "family_redaction": "pseudonym", "sources_redaction": "pseudonym"})
    with pytest.raises(services.RetentionError, match="referral"):
        destruction.case_destroy(actor=cast.admin1, case=case, reason="Past retention", confirmation=case.reference)
    assert not CaseTombstone.objects.exists()
    assert {e.action for e in AuditEvent.objects.filter(target_id=str(hold.pk))} == {"retention.hold.set", "retention.hold.lifted"}


def test_destroy_is_two_steps_then_tombstone_and_nothing_opens(client, cast, django_capture_on_commit_callbacks):
    file = _with_file(cast, django_capture_on_commit_callbacks)
    follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call the sister back", assignee=cast.caseworker1, due=timezone.localdate())
    tag = tag_create(actor=cast.admin1, name="Nysanbaev family")
    case_tag_add(actor=cast.caseworker1, case=cast.case, tag=tag)
    case = _past_retention(cast)
    person_token = _raw("cases_person", "name_latin", case.person_id)
    contact = Contact.objects.get(case=case)
    services.review_prepare()
    sign_in(client, cast.admin1)
    assert case.reference in client.get("/retention/").content.decode()
    page = client.post("/retention/destroy", {"case": case.reference})
    assert page.status_code == 200 and NAME not in page.content.decode()  # step one: the confirmation page
    wrong = client.post("/retention/destroy", {"case": case.reference, "reason": "Past retention", "confirmation": "DAL-0000-0000"})
    assert wrong.status_code == 400 and not CaseTombstone.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/retention/destroy", {"case": case.reference, "reason": "Past retention", "confirmation": case.reference.lower()})
    assert done.status_code == 302
    tombstone = CaseTombstone.objects.get(case=case)
    assert tombstone.destroyed_by == cast.admin1 and tombstone.reference == case.reference
    event = AuditEvent.objects.get(action="retention.case.destroyed")
    assert event.actor == cast.admin1 and event.data["confirmed_by"] == "admin1" and event.case_ref == case.reference
    assert AuditEvent.objects.filter(action="evidence.file.destroyed", target_id=str(file.pk)).exists()

    # What is stored no longer opens to anything: the old ciphertext is gone and what replaced it is empty.
    stored = _raw("cases_person", "name_latin", case.person_id)
    assert stored != person_token and open_text(stored, model_label="cases.Person", field_name="name_latin", pk=case.person_id) == ""
    assert not _token_anywhere(person_token)
    contact.refresh_from_db()
    assert contact.name == "" and contact.phone == ""
    assert not PersonIndexEntry.objects.filter(person_id=case.person_id).exists()
    assert not CaseTag.objects.filter(case=case).exists()
    file.refresh_from_db()
    assert file.wrapped_key is None and file.state == EvidenceFile.State.DESTROYED
    from evidence.sealing import plaintext_chunks
    from keys.ring import KeyUnavailable

    with pytest.raises(KeyUnavailable):
        b"".join(plaintext_chunks(file))

    # The case page shows the tombstone to who could see it, nothing to anyone else; files and lists are gone.
    sign_in(client, cast.caseworker1)
    page = client.get(f"/cases/{case.reference}/")
    body = page.content.decode()
    assert page.status_code == 410 and case.reference in body and "Past retention" in body and NAME not in body
    assert client.get(f"/evidence/{case.reference}/files/{file.pk}/download/").status_code in (404, 410)
    assert case.reference not in client.get("/").content.decode()
    assert "Call the sister back" not in client.get("/my-work/").content.decode()
    sign_in(client, cast.outsider)
    assert client.get(f"/cases/{case.reference}/").status_code == 404


def _token_anywhere(token) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM cases_person WHERE name_latin = %s", [token])
        return cursor.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_a_failing_last_step_leaves_the_case_whole(monkeypatch, settings, django_capture_on_commit_callbacks):
    cast = build_cast()
    file = _with_file(cast, django_capture_on_commit_callbacks)
    case = _past_retention(cast)
    audit_before = AuditEvent.objects.count()
    real = destruction.audit_record

    def audit_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(destruction, "audit_record", audit_then_fail)
    with pytest.raises(RuntimeError):
        destruction.case_destroy(actor=cast.admin1, case=case, reason="Past retention", confirmation=case.reference)
    assert not CaseTombstone.objects.exists() and AuditEvent.objects.count() == audit_before
    assert Person.objects.get(pk=case.person_id).name_latin == NAME
    file.refresh_from_db()
    from evidence.sealing import plaintext_chunks

    assert file.wrapped_key is not None and b"".join(plaintext_chunks(file)) == b"the statement"
    assert "view_case" in __import__("cases.selectors", fromlist=["case_perms"]).case_perms(cast.caseworker1, case, fresh=True)


def test_only_admins_review_and_only_admins_or_legal_hold(client, cast):
    case = _past_retention(cast)
    sign_in(client, cast.caseworker1)
    assert client.get("/retention/").status_code == 403
    assert client.get(f"/retention/cases/{case.reference}/").status_code == 403
    assert client.post("/retention/destroy", {"case": case.reference}).status_code == 403
    sign_in(client, cast.legal1)
    response = client.post(f"/retention/cases/{case.reference}/", {"do": "hold", "reason": "Prosecutor's request"})
    assert response.status_code == 302 and selectors.standing_hold(case) is not None
    assert client.post(f"/retention/cases/{case.reference}/", {"do": "extend", "reason": "x", "until": "2099-01-01"}).status_code == 403
    assert client.get(f"/retention/cases/{cast.other_case.reference}/").status_code == 404  # legal sees only their cases
    assert client.post(f"/retention/cases/{case.reference}/", {"do": "lift", "reason": ""}).status_code == 400  # a reason is required
    assert selectors.standing_hold(case) is not None


def test_every_model_with_sealed_values_of_a_case_is_shredded():
    covered = {model._meta.label for model, _path, _fields in destruction.sealed_models()}
    assert {"cases.Case", "cases.Person", "cases.Contact", "cases.Event", "cases.Source", "cases.Consent", "evidence.EvidenceFile",
            "casework.FollowUp", "casework.Note", "casework.Review", "referrals.Assessment", "referrals.AssessmentItem", "referrals.SupportLink", "referrals.ReviewRequest"} <= covered


def test_bad_periods_change_nothing(client, cast):
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    sign_in(client, cast.admin1)
    response = client.post("/retention/policies", {"closed": "0", "intake": "abc"})
    assert response.status_code == 400 and selectors.policies() == {"closed": 365}
    assert client.post("/retention/policies", {"closed": "730", "intake": "90"}).status_code == 302
    assert selectors.policies() == {"closed": 730, "intake": 90}
    assert AuditEvent.objects.filter(action="retention.policy.set").count() == 3
