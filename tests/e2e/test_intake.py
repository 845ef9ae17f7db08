"""End to end in Debian's chromium: sign in, open a case, add a detention, see it on the timeline."""

import re

import pytest

from accounts.roles import CASEWORKER
from cases.models import Case
from tests.cast import role_user
from tests.factories import PASSWORD

# serialized_rollback: the role groups made by data migrations survive the flush of transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def caseworker(transactional_db):
    return role_user(CASEWORKER, username="intake-caseworker")  # remakes the role groups a flush removed


def test_intake_detention_on_timeline(page, caseworker):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill(caseworker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("link", name="New case", exact=True).first.click()
    page.get_by_label("Name (Latin script)").fill("Sherzod Yusupov")
    page.get_by_label("Name (Cyrillic script)").fill("Шерзод Юсупов")
    page.locator("#id_birth_date").fill("1992")
    page.get_by_label("Nationality").select_option("UZ")
    page.get_by_label("Recruitment pathway").select_option("migrant_raid")
    page.locator("#id_contact-name").fill("Malika Yusupova")
    page.locator("#id_contact-relationship").select_option("sister")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url(re.compile(r"/cases/DAL-\d{4}-\d{4}/$"))
    reference = Case.objects.get().reference
    assert reference in page.content()

    page.locator("#timeline").get_by_role("link", name="Add event").click()
    page.locator("#id_type").select_option("detention")
    # Fields of other event types are hidden once a type is chosen (dalil.js).
    assert page.locator('fieldset[data-event-types="coercion"]').is_hidden()
    assert page.locator('fieldset[data-event-types="contract"]').is_hidden()
    page.locator("#id_date").fill("2024-03")
    page.get_by_label("The date is approximate").check()
    page.get_by_label("Description").fill("Taken in a raid at a construction site.")
    page.get_by_text("The place is not in the list: create it").click()
    page.get_by_label("Name of the new place").fill("Police station No. 12")
    page.locator("#id_new_location_city").fill("Moscow")
    page.get_by_role("button", name="Add event").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}/#event-"))

    timeline = page.locator("#timeline")
    entry = timeline.locator("li.event-detention")
    assert entry.count() == 1
    assert "Detention" in entry.inner_text()
    assert "about March 2024" in entry.inner_text()
    assert "Police station No. 12" in entry.inner_text()
    assert "Event added to the timeline." in page.locator(".messages").inner_text()
