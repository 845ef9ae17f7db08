"""Closure reasons: asked for when a case is closed, cleared when it is reopened, counted on the dashboard."""

import pytest

from audit import actions
from audit.models import AuditEvent
from cases.models import Case
from patterns import stats
from tests.cases.test_views import create_data, url
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_closing_without_a_reason_is_refused_and_changes_nothing(caseworker_client, case):
    response = caseworker_client.post(url("edit", case), create_data(status="closed"))
    assert response.status_code == 400
    assert "Say why the case is closed." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "intake" and case.closure_reason == ""
    assert not AuditEvent.objects.filter(action=actions.CASE_UPDATED).exists()


def test_closing_with_a_reason_records_it_and_reopening_clears_it(caseworker_client, case):
    response = caseworker_client.post(url("edit", case), create_data(status="closed", closure_reason="returned_home"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "returned_home")
    assert "closure_reason" in AuditEvent.objects.get(action=actions.CASE_UPDATED).fields
    assert "Returned home" in caseworker_client.get(url("detail", case)).content.decode()
    caseworker_client.post(url("edit", case), create_data(status="active", closure_reason="returned_home"))
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("active", "")


def test_dashboard_counts_closure_reasons_of_closed_cases_only(caseworker, caseworker_client):
    make_case(actor=caseworker, status="closed", closure_reason="found")
    make_case(actor=caseworker, name_latin="Other Person", name_cyrillic="", status="closed", closure_reason="died")
    make_case(actor=caseworker, name_latin="Third Person", name_cyrillic="", status="active")
    rows = {r.key: r.count for r in stats.counts(caseworker, measure="cases", dimension="closure_reason").rows if r.count}
    assert rows == {"found": 1, "died": 1}
    page = caseworker_client.get("/patterns/").content.decode()
    assert "Reason for closing" in page and "Found" in page
    assert Case.objects.filter(status="active", closure_reason="").count() == 1
