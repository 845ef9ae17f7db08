"""Two people on one case in Chromium: the second save is refused and shows both versions; the back
button and a second submit do not add a record twice."""

import re

import pytest
from django.contrib.auth.models import Group

from cases import access
from cases.models import Case, Source
from tests.factories import PASSWORD, UserFactory, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def caseworkers(transactional_db):
    from tests.accounts.cast import ensure_roles

    ensure_roles()
    users = []
    for name in ("editing-first", "editing-second"):
        user = UserFactory(username=name)
        user.groups.add(Group.objects.get(name="caseworker"))
        users.append(user)
    case = make_case(actor=users[0])
    access.case_assign(actor=None, user=users[1], cases=[case])
    return users, case


def signed_in(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def test_two_sessions_edit_one_case_and_nothing_is_lost(browser, live_server, caseworkers):
    (first_user, second_user), case = caseworkers
    first_context, first = signed_in(browser, live_server, first_user)
    second_context, second = signed_in(browser, live_server, second_user)
    try:
        edit = f"/cases/{case.reference}/edit/"
        first.goto(edit)
        second.goto(edit)
        first.get_by_label("Notes").fill("Mother called on Monday; he is in Rostov.")
        first.get_by_role("button", name="Save").click()
        first.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))

        second.get_by_label("Current known whereabouts").select_option("front")
        second.get_by_role("button", name="Save").click()
        conflict = second.locator(".conflict")
        assert conflict.is_visible()
        assert "Someone else saved this record while you were editing it" in conflict.inner_text()
        notes_row = conflict.locator(".conflict-row", has_text="Notes")
        assert notes_row.locator('[data-side="theirs"]').inner_text() == "Mother called on Monday; he is in Rostov."
        # What the second person chose is still in the form.
        assert second.get_by_label("Current known whereabouts").input_value() == "front"
        stored = Case.objects.get(pk=case.pk)
        assert (stored.whereabouts, stored.notes) == ("unknown", "Mother called on Monday; he is in Rostov.")

        # Merge: keep the first person's notes, then save again.
        second.get_by_label("Notes").fill(notes_row.locator('[data-side="theirs"]').inner_text())
        second.get_by_role("button", name="Save").click()
        second.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
        stored = Case.objects.get(pk=case.pk)
        assert (stored.whereabouts, stored.notes) == ("front", "Mother called on Monday; he is in Rostov.")
    finally:
        first_context.close()
        second_context.close()


def test_back_button_and_submit_again_adds_one_source(browser, live_server, caseworkers):
    (user, _), case = caseworkers
    context, page = signed_in(browser, live_server, user)
    try:
        page.goto(f"/cases/{case.reference}/sources/new/")
        page.get_by_label("Title").fill("Sister's call, 3 May")
        page.get_by_label("Kind").select_option("family")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(rf"/cases/{case.reference}/#source-"))
        made = page.url
        page.go_back()
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(made)
        assert "This form had already been sent" in page.locator(".messages").inner_text()
        assert Source.objects.filter(case=case).count() == 1
    finally:
        context.close()
