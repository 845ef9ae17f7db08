"""The assessment's conclusion and each of its items carry a version: two legal users do not overwrite each other."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import access
from cases.services import StaleEdit
from referrals import services
from referrals.models import Assessment, AssessmentItem
from tests.cast import role_user


@pytest.fixture
def second_legal(db, case):
    user = role_user("legal", username="legal-ref-2")
    access.case_share_with_legal(actor=None, case=case, user=user)
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_item_save_is_refused_and_a_fresh_one_goes_through(legal, case):
    services.assessment_item_save(actor=legal, case=case, code="element:act", options=["recruitment"], note="First", version=0)
    with pytest.raises(StaleEdit):
        services.assessment_item_save(actor=legal, case=case, code="element:act", options=["transfer"], note="Second", version=0)
    item = AssessmentItem.objects.get(code="element:act")
    assert (item.options, item.note, item.version) == (["recruitment"], "First", 1)
    services.assessment_item_save(actor=legal, case=case, code="element:act", options=["transfer"], note="Second", version=1)
    assert AssessmentItem.objects.get(code="element:act").version == 2


def test_two_legal_users_on_one_item_page(legal, second_legal, case):
    url = reverse("referrals:assessment_item", kwargs={"reference": case.reference, "code": "indicator:intimidation_threats"})
    first, second = client_of(legal), client_of(second_legal)
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    assert first.post(url, {"note": "Threatened with prosecution.", "version": "0"}).status_code == 302
    refused = second.post(url, {"note": "Family threatened.", "version": "0"})
    assert refused.status_code == 409
    rows = refused.context["conflict"]
    assert rows == [{"label": "Note", "theirs": "Threatened with prosecution.", "yours": "Family threatened."}]
    assert 'name="version" value="1"' in refused.content.decode()
    assert AssessmentItem.objects.get(code="indicator:intimidation_threats").note == "Threatened with prosecution."


def test_two_legal_users_on_the_conclusion(legal, second_legal, case):
    url = reverse("referrals:assessment", kwargs={"reference": case.reference})
    assert client_of(legal).post(url, {"conclusion": "Palermo met.", "version": "0"}).status_code == 302
    refused = client_of(second_legal).post(url, {"conclusion": "Not yet.", "version": "0"})
    assert refused.status_code == 409
    assert "Someone else saved this record while you were editing it" in refused.content.decode()
    assert Assessment.objects.get(case=case).conclusion == "Palermo met."
    assert client_of(second_legal).post(url, {"conclusion": "Not yet.", "version": "1"}).status_code == 302
    assert Assessment.objects.get(case=case).version == 2
