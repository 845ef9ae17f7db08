"""States that confused a new user: each now says what it means."""

import datetime

import pytest

from cases import services
from patterns import stats
from tests.cast import sign_in


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_admin_with_no_shared_case_sees_how_many_there_are_and_why(client, cast):
    sign_in(client, cast.admin1)
    page = client.get("/").content.decode()
    assert "There are 2 cases in Dalil, and none of them is shared with you." in page
    assert "/manage/assignments/" in page and "There are no cases yet." not in page
    # Nobody else learns the count: a caseworker with no case sees the plain empty list.
    client.force_login(cast.caseworker2)
    page = client.get("/").content.decode()
    assert "cases in Dalil" not in page


def test_counts_by_month_say_that_a_case_counts_in_every_month_of_its_events(cast):
    for month in (3, 4):
        services.event_add(actor=cast.caseworker1, case=cast.case, data={"type": "detention", "date": datetime.date(2024, month, 5), "date_precision": "day"})
    by_month = stats.counts(cast.caseworker1, measure="cases", dimension="month")
    assert by_month.total == 2 and by_month.overlaps  # one case, counted in two months
    assert not stats.counts(cast.caseworker1, measure="cases", dimension="nationality").overlaps
    assert not stats.counts(cast.caseworker1, measure="events", dimension="month").overlaps


def test_no_coercion_means_is_labelled_not_recorded(cast):
    services.event_add(actor=cast.caseworker1, case=cast.case, data={"type": "detention", "date": None, "date_precision": "unknown"})
    rows = stats.counts(cast.caseworker1, measure="events", dimension="coercion_means").rows
    assert "—" not in [r.label for r in rows] and "Not recorded" in [r.label for r in rows]


def test_the_dashboard_explains_overlapping_rows(client, cast):
    services.event_add(actor=cast.caseworker1, case=cast.case, data={"type": "detention", "date": datetime.date(2024, 3, 5), "date_precision": "day"})
    sign_in(client, cast.caseworker1)
    page = client.get("/patterns/").content.decode()
    assert "a case is counted in every row one of its events falls in" in page


def test_the_review_request_says_it_is_no_referral_when_no_consent_is_recorded(client, cast):
    sign_in(client, cast.caseworker1)
    page = client.get(f"/cases/{cast.case.reference}/review-request/").content.decode()
    assert "A review is not a referral" in page and 'id="review-no-consent"' in page
