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
<<<<<<< HEAD
    visits = ((cast.caseworker1, ["/notifications/", "/notifications/settings", f"/cases/{ref}/notes/", f"/cases/{ref}/reviews/",
                                "/my-work/", f"/cases/{ref}/", "/?status=intake"]),
              (cast.legal1, ["/notifications/", f"/cases/{ref}/reviews/", "/my-work/"]))
    problems = pages_that_do_not_fit(browser, live_server, visits)
=======
    flagged = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=datetime.date.today())
    FollowUp.objects.filter(pk=flagged.pk).update(flagged=True)
    problems = []
    for user, paths in ((cast.caseworker1, ["/notifications/", "/notifications/settings", f"/cases/{ref}/notes/", f"/cases/{ref}/reviews/",
                                            "/my-work/", f"/cases/{ref}/", "/?status=intake"]),
                        (cast.legal1, ["/notifications/", f"/cases/{ref}/reviews/", "/my-work/"]),
                        (cast.admin1, [f"/manage/cases/{ref}/access/", f"/manage/cases/{ref}/follow-ups/"])):
        for width, height in ((390, 844), (1366, 900)):
            context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.locator("form:has(input[name=password]) [type=submit]").click()
            page.wait_for_load_state()
            for lang in ("en", "ru"):
                context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
                for path in paths:
                    response = page.goto(path)
                    scroll, inner = page.evaluate(WIDTH)
                    if response.status != 200 or scroll > inner:
                        problems.append(f"{user} {lang} {width}px {path}: {response.status}, {scroll} > {inner}")
            context.close()
>>>>>>> main
    assert not problems, "\n".join(problems)
