"""Notes, reviews and notifications on a phone (390 px) and a laptop, in English and Russian: no sideways scroll."""

import datetime

import pytest

from casework import notes, reviews, services
from casework.models import FollowUp
from tests.cast import build_cast
from tests.fit import pages_that_do_not_fit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_pages_fit_a_phone_and_a_laptop_in_english_and_russian(browser, live_server):
    cast = build_cast()
    notes.note_add(actor=cast.legal1, case=cast.case, text="A long note " * 40 + "y" * 300 + " @caseworker1")
    reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="Please check the timeline " * 10)
    ref = cast.case.reference
    flagged = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=datetime.date.today())
    FollowUp.objects.filter(pk=flagged.pk).update(flagged=True)
    visits = ((cast.caseworker1, ["/notifications/", "/notifications/settings", f"/cases/{ref}/notes/", f"/cases/{ref}/reviews/",
                                "/my-work/", f"/cases/{ref}/", "/?status=intake"]),
              (cast.legal1, ["/notifications/", f"/cases/{ref}/reviews/", "/my-work/"]),
              (cast.admin1, [f"/manage/cases/{ref}/access/", f"/manage/cases/{ref}/follow-ups/"]))
    problems = pages_that_do_not_fit(browser, live_server, visits)
    assert not problems, "\n".join(problems)
