"""The case list's "needs attention" filter (casework/attention.py), and that it never widens the list."""

import datetime

import pytest
from django.utils import timezone

from casework import services
from casework.selectors import attention_count, nav_counts
from cases.models import Case
from tests.cast import sign_in
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_needs_attention(client, cast):
    today = timezone.localdate()
    overdue = cast.case
    services.follow_up_add(actor=cast.caseworker1, case=overdue, what="Call back", assignee=cast.caseworker1, due=today - datetime.timedelta(days=1))
    later = make_case(actor=cast.caseworker1, name_latin="Later Person", name_cyrillic="")
    services.follow_up_add(actor=cast.caseworker1, case=later, what="Ask", assignee=cast.caseworker1, due=today + datetime.timedelta(days=3))
    quiet = make_case(actor=cast.caseworker1, name_latin="Quiet Person", name_cyrillic="")
    Case.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - datetime.timedelta(days=31))
    closed = make_case(actor=cast.caseworker1, name_latin="Closed Person", name_cyrillic="", status="closed", closure_reason="found")
    services.follow_up_add(actor=cast.caseworker1, case=closed, what="Old", assignee=cast.caseworker1, due=today - datetime.timedelta(days=9))
    assert nav_counts(cast.caseworker1)[0] == attention_count(cast.caseworker1) == 2  # overdue, of an open and a closed case
    assert nav_counts(cast.outsider)[0] == 0
    sign_in(client, cast.caseworker1)
    page = client.get("/?attention=yes").content.decode()
    assert overdue.reference in page and quiet.reference in page
    assert later.reference not in page and closed.reference not in page
    assert client.get("/?attention=maybe").status_code == 400


def test_needs_attention_never_shows_anothers_case(client, cast):
    services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1,
                           due=timezone.localdate() - datetime.timedelta(days=5))
    sign_in(client, cast.outsider)
    page = client.get("/?attention=yes").content.decode()
    assert cast.case.reference not in page and cast.case.person.name_latin not in page


def test_a_returned_review_needs_attention_until_asked_again(client, cast):
    from casework.reviews import review_answer, review_request

    review = review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="Check the timeline")
    sign_in(client, cast.caseworker1)
    assert cast.case.reference not in client.get("/?attention=yes").content.decode()
    review_answer(actor=cast.legal1, review=review, approve=False, comments="The dates disagree")
    assert cast.case.reference in client.get("/?attention=yes").content.decode()
    review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="Fixed")
    assert cast.case.reference not in client.get("/?attention=yes").content.decode()


def test_my_work_links_to_the_cases_that_need_attention(client, cast):
    sign_in(client, cast.caseworker1)
    assert 'href="/?attention=yes"' in client.get("/my-work/").content.decode()
