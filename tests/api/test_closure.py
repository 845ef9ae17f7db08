"""Closing a case through the API asks for the reason too, as the web form does; nothing changes without it."""

from cases.models import Case


def case_url(case):
    return f"/api/v1/cases/{case.reference}/"


def test_closing_through_the_api_needs_a_reason(api, cast, case):
    client = api("caseworker1")
    refused = client.patch(case_url(case), {"status": "closed"}, format="json", HTTP_IF_MATCH='"1"')
    assert refused.status_code == 400 and "closure_reason" in str(refused.json())
    assert Case.objects.get(pk=case.pk).status != "closed"
    closed = client.patch(case_url(case), {"status": "closed", "closure_reason": "lost_contact"}, format="json", HTTP_IF_MATCH='"1"')
    assert closed.status_code == 200, closed.content
    assert closed.json()["closure_reason"] == "lost_contact"
    reopened = client.patch(case_url(case), {"status": "active"}, format="json", HTTP_IF_MATCH=closed["ETag"])
    assert reopened.status_code == 200 and reopened.json()["closure_reason"] == ""
    assert Case.objects.get(pk=case.pk).closure_reason == ""
