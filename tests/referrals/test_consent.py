import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from referrals import consent, services
from referrals.models import Referral
from tests.referrals.conftest import build_case, build_now, make_referral


def test_consent_scope_decides_per_kind_of_recipient(legal, case):
    assert consent.case_decision(legal, case=case, recipient_kind="lawyer").allowed
    assert consent.case_decision(legal, case=case, recipient_kind="un").allowed
    refused = consent.case_decision(legal, case=case, recipient_kind="authority")
    assert not refused.allowed and "sharing with prosecutors and authorities" in refused.reason
    assert not consent.case_decision(legal, case=case, recipient_kind="partner").allowed
    assert not consent.case_decision(legal, case=case, recipient_kind="hotline").allowed


def test_items_cannot_be_included_without_consent(legal, case):
    with pytest.raises(ValidationError) as exc:
        make_referral(legal, case, kind="authority")
    assert "does not cover sharing with prosecutors" in str(exc.value)
    assert Referral.objects.count() == 0
    contact = case.contacts.get()
    assert not contact.consents_to_contact
    with pytest.raises(ValidationError, match="not agreed to be contacted"):
        services.referral_create(
            actor=legal, case=case, data={"recipient_name": "X", "recipient_kind": "lawyer"}, contacts=[contact]
        )
    assert Referral.objects.count() == 0


def test_no_consent_recorded_refuses_everything(caseworker, legal):
    case, _, _ = build_case(caseworker, legal, consent=False)
    with pytest.raises(ValidationError, match="No consent is recorded"):
        make_referral(legal, case)


def test_withdrawn_consent_stops_the_build(caseworker, legal, case, django_capture_on_commit_callbacks):
    referral = make_referral(legal, case)
    case_services.consent_record(
        actor=caseworker, case=case,
        data={"given_by": "person", "documentation": True, "given_on": datetime.date(2024, 6, 1), "method": "verbal"},
    )
    with pytest.raises(ValidationError, match="does not cover sharing with lawyers"):
        services.referral_build_request(actor=legal, referral=referral)


def test_referral_page_says_why(client, legal, case):
    client.force_login(legal)
    page = client.get(reverse("referrals:create", args=[case.reference])).content.decode()
    assert "does not cover sharing with prosecutors and authorities" in page
    assert "has not agreed to be contacted" in page
    response = client.post(
        reverse("referrals:create", args=[case.reference]),
        {"recipient_name": "Prosecutor", "recipient_kind": "authority", "person_redaction": "pseudonym",
         "family_redaction": "pseudonym", "sources_redaction": "pseudonym", "pseudonym": "Person A",
         "events": [str(e.pk) for e in case.events.all()]},
    )
    assert response.status_code == 400
    assert "does not cover sharing with prosecutors" in response.content.decode()
    assert Referral.objects.count() == 0


def test_legal_builds_through_the_pages(client, legal, case, evidence_file, django_capture_on_commit_callbacks):
    client.force_login(legal)
    response = client.post(
        reverse("referrals:create", args=[case.reference]),
        {"recipient_name": "UN SR on trafficking", "recipient_kind": "un", "person_redaction": "pseudonym",
         "family_redaction": "initials", "sources_redaction": "pseudonym", "pseudonym": "Person A", "include_assessment": "on",
         "events": [str(e.pk) for e in case.events.all()], "files": [str(evidence_file.pk)]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:build", args=[referral.pk]))
    assert response.status_code == 302 and response.url == reverse("referrals:progress", args=[referral.pk])
    progress = client.get(reverse("referrals:progress_json", args=[referral.pk])).json()
    assert progress["status"] == "done" and progress["progress"] == 100
    page = client.post(reverse("referrals:passphrase", args=[referral.pk])).content.decode()
    assert 'id="passphrase"' in page
    response = client.get(reverse("referrals:download", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    case_page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "UN SR on trafficking" in case_page
    response = client.post(reverse("referrals:transition", args=[referral.pk, "sent"]), {"sent_on": "2999-01-01", "channel": "email"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == Referral.Status.BUILT
