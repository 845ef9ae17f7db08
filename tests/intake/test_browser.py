"""A family's walk in a real browser with JavaScript off (as a safest-mode Tor Browser runs), in every language."""

import re

import pytest

from intake.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ("en", "ru", "uz", "kk", "ky", "tg")


@pytest.fixture
def no_script(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def test_report_and_come_back_in_every_language_without_javascript(no_script):
    page = no_script
    for lang in LANGUAGES:
        page.goto(f"/report/{lang}/")
        assert page.locator("html").get_attribute("lang") == lang
        page.locator('input[name="relationship"][value="sister"]').check()
        page.locator("#id_name").fill(f"Test Person {lang}")
        page.locator("#id_consent_documentation").check()
        page.locator('button[type="submit"]').click()
        codename = page.locator("#codename").inner_text().strip()
        # JavaScript is off, so the width is read from the layout the browser made: no sideways scrolling.
        assert page.locator("main").bounding_box()["width"] <= 390, lang
        assert len(codename.split()) == 7, lang
        page.goto(f"/report/{lang}/follow-up/")
        page.locator("#id_codename").fill(codename)
        page.locator('button[type="submit"]').click()
        assert page.locator("h1").count() == 1 and page.locator('textarea[name="text"]').count() == 1, lang
        page.locator('textarea[name="text"]').fill("More news")
        page.locator('form button[type="submit"]').click()
        assert page.locator(".notice").count() == 1, lang
    assert Submission.objects.count() == len(LANGUAGES)
    assert {s.language for s in Submission.objects.all()} == set(LANGUAGES)
    assert re.search("report", page.url)
