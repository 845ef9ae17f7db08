"""Tags, saved searches and the case list's new filters on a phone (390 px) and a laptop, in English and Russian."""

import pytest

from accounts.roles import CASEWORKER
from casework import searches, tags
from tests.cast import build_cast
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_the_pages_fit_a_phone_and_a_laptop_in_english_and_russian(browser, live_server, settings):
    settings.DALIL_2FA_REQUIRED_FOR = []
    cast = build_cast()
    long_tag = tags.tag_create(actor=cast.admin1, name="x" * 60, description="A long description " * 20, colour="purple")
    tag = tags.tag_create(actor=cast.admin1, name="Debt forgiveness offer with a long name", colour="green", safe_for_statistics=True)
    tags.tag_create(actor=cast.admin1, name="Not yet used on any case", colour="yellow")
    for t in (long_tag, tag):
        tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=t)
    searches.saved_search_create(actor=cast.caseworker1, name="A saved search with a rather long name " * 2, query="", filters={"status": "intake"},
                                 shared_with=CASEWORKER)
    ref = cast.case.reference
    problems = []
    for user, paths in ((cast.caseworker1, ["/", "/?attention=yes", f"/?tag={tag.pk}&status=intake", f"/cases/{ref}/tags/", f"/cases/{ref}/",
                                            f"/cases/{ref}/edit/", "/patterns/"]),
                        (cast.admin1, ["/manage/tags/", "/manage/tags/new/", f"/manage/tags/{long_tag.pk}/", "/patterns/"])):
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
                    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
                    scroll, inner = page.evaluate(WIDTH)
                    if response.status != 200 or scroll > inner:
                        problems.append(f"{user} {lang} {width}px {path}: {response.status}, {scroll} > {inner}")
            context.close()
    assert not problems, "\n".join(problems)
