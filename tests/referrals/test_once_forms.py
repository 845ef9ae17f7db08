"""A referral draft and a review request are made once per rendered form (cases.once), as the case forms are."""

import re

from django.urls import reverse

from referrals.models import Referral
from tests.referrals.conftest import build_case


def token_of(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_second_submit_of_a_referral_form_shows_the_first_draft(client, legal, case):
    client.force_login(legal)
    url = reverse("referrals:create", args=[case.reference])
    data = {"recipient_name": "Justice Partners", "recipient_kind": "lawyer", "person_redaction": "pseudonym",
            "family_redaction": "pseudonym", "sources_redaction": "pseudonym", "pseudonym": "Person A",
            "events": [str(e.pk) for e in case.events.all()], "form_token": token_of(client.get(url))}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:500]
    again = client.post(url, data)
    assert Referral.objects.count() == 1
    assert again["Location"] == first["Location"] == reverse("referrals:detail", args=[Referral.objects.get().pk])


def test_a_second_submit_of_a_review_request_asks_once(client, caseworker, legal, db):
    case, _, _ = build_case(caseworker, legal, share_with_legal=False)
    client.force_login(caseworker)
    url = reverse("referrals:review_request", args=[case.reference])
    data = {"note": "Palermo?", "form_token": token_of(client.get(url))}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert case.review_requests.count() == 1
