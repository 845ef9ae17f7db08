import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from referrals import selectors, services
from referrals.models import AssessmentItem, SupportLink
from tests.referrals.conftest import build_case


def test_elements_and_indicators_are_listed_with_what_supports_them(legal, case_bundle, evidence_file):
    case, (detention, contract), source = case_bundle
    services.assessment_item_save(actor=legal, case=case, code="element:act", options=["recruitment", "transfer"], note="Recruited in SIZO")
    services.assessment_link_add(actor=legal, case=case, code="element:act", strength="strong", event=contract, note="contract")
    services.assessment_link_add(actor=legal, case=case, code="element:means", strength="moderate", source=source)
    services.assessment_link_add(actor=legal, case=case, code="indicator:retention_of_documents", strength="weak", evidence_file=evidence_file)

    view = selectors.assessment_view_for(legal, case=case)
    act, means, purpose = view.elements
    assert act.supported and act.strength == "strong" and act.option_labels == ["Recruitment", "Transfer"]
    assert [link.event for link in act.links] == [contract]
    assert means.links_of("source")[0].source == source
    assert not purpose.supported and [e.code for e in view.missing_elements] == ["purpose"]
    assert not view.palermo_met
    assert len(view.indicators) == 11
    docs = next(i for i in view.indicators if i.code == "retention_of_documents")
    assert docs.supported and docs.links[0].file == evidence_file
    assert len(view.missing_indicators) == 10
    assert AuditEvent.objects.filter(action="assessment.link.added", case_ref=case.reference).count() == 3
    assert AuditEvent.objects.filter(action="assessment.item.saved", case_ref=case.reference).exists()


def test_a_link_has_exactly_one_target_of_the_same_case(legal, caseworker, case_bundle):
    case, (detention, _), source = case_bundle
    other, (other_event, _), _ = build_case(caseworker, legal)
    with pytest.raises(ValidationError):
        services.assessment_link_add(actor=legal, case=case, code="element:act", strength="strong", event=detention, source=source)
    with pytest.raises(ValidationError):
        services.assessment_link_add(actor=legal, case=case, code="element:act", strength="strong", event=other_event)
    with pytest.raises(ValidationError):
        services.assessment_link_add(actor=legal, case=case, code="element:nonsense", strength="strong", event=detention)
    with pytest.raises(ValidationError):
        services.assessment_item_save(actor=legal, case=case, code="element:act", options=["abduction"])  # a means, not an act
    assert SupportLink.objects.count() == 0
    assert all("abduction" not in item.options for item in AssessmentItem.objects.all())


def test_assessment_page_shows_supported_by_what_and_missing(client, legal, case_bundle):
    case, (detention, _), _ = case_bundle
    services.assessment_link_add(actor=legal, case=case, code="element:purpose", strength="strong", event=detention, note="sent to the front")
    client.force_login(legal)
    response = client.get(reverse("referrals:assessment", args=[case.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "sent to the front" in body and "Missing" in body and "Supported" in body
    assert "Debt bondage" in body and "Abuse of power" not in body  # sub-options only on the item page
    response = client.post(
        reverse("referrals:assessment_item", args=[case.reference, "element:means"]),
        {"add_link": "1", "target": f"event:{detention.pk}", "strength": "bogus"},
    )
    assert response.status_code == 400
    assert SupportLink.objects.count() == 1
    response = client.post(
        reverse("referrals:assessment_item", args=[case.reference, "element:means"]),
        {"add_link": "1", "target": f"event:{detention.pk}", "strength": "weak", "note": "beaten"},
    )
    assert response.status_code == 302 and SupportLink.objects.count() == 2


def test_outsider_gets_404(client, outsider, case):
    client.force_login(outsider)
    for name in ("referrals:assessment", "referrals:create", "referrals:list", "referrals:review_request"):
        assert client.get(reverse(name, args=[case.reference])).status_code == 404


def test_caseworker_asks_legal_for_review_which_shares_the_case(client, caseworker, legal, db):
    case, _, _ = build_case(caseworker, legal, share_with_legal=False)
    assert client.force_login(legal) is None
    assert client.get(reverse("referrals:assessment", args=[case.reference])).status_code == 404
    client.force_login(caseworker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert reverse("referrals:review_request", args=[case.reference]) in page
    response = client.post(reverse("referrals:review_request", args=[case.reference]), {"note": "Palermo?"})
    assert response.status_code == 302
    assert case.review_requests.count() == 1
    assert AuditEvent.objects.filter(action="review.requested", case_ref=case.reference).exists()
    assert AuditEvent.objects.filter(action="access.grant.added", case_ref=case.reference, data__reason="referral_request").exists()
    client.force_login(legal)
    assert client.get(reverse("referrals:assessment", args=[case.reference])).status_code == 200


def test_a_review_request_that_cannot_be_recorded_shares_nothing(caseworker, legal, db):
    """One user action: the grant to legal commits with the request or not at all."""
    from django.db import DatabaseError

    from cases.selectors import case_perms
    from referrals.models import ReviewRequest
    from tests.db_faults import inserts_refused

    case, _, _ = build_case(caseworker, legal, share_with_legal=False)
    audit_before = AuditEvent.objects.count()
    with inserts_refused(ReviewRequest), pytest.raises(DatabaseError):
        services.review_request(actor=caseworker, case=case, note="Palermo?", legal_user=legal)
    assert not case.review_requests.exists() and case_perms(legal, case, fresh=True) == frozenset()
    assert AuditEvent.objects.count() == audit_before
    services.review_request(actor=caseworker, case=case, note="Palermo?", legal_user=legal)
    assert case.review_requests.count() == 1 and "view_case" in case_perms(legal, case, fresh=True)
