"""Two people on one case in Chromium: the second save is refused and shows both versions; the back
button and a second submit do not add a record twice."""

import re

import pytest

from accounts.roles import CASEWORKER
from cases import access
from cases.models import Case, Source
from tests.cast import role_user
from tests.factories import PASSWORD, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def caseworkers(transactional_db):
    users = [role_user(CASEWORKER, username=name) for name in ("editing-first", "editing-second")]
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


def problems_on(page) -> list[str]:
    """Sideways scrolling at a phone's and a laptop's width, and serious or critical axe-core violations."""
    from tests.e2e.test_walk import AXE, AXE_RUN, CHECK, SIZES

    found = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        facts = page.evaluate(CHECK, None)
        if facts["scroll"] > facts["inner"]:
            found.append(f"{size}: scrolls sideways: {facts['wide']}")
        if page.evaluate("() => typeof axe") == "undefined":
            page.evaluate(AXE)
        found.extend(f"{size}: {v}" for v in page.evaluate(AXE_RUN))
    return found


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
        assert problems_on(second) == []
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


def test_perpetrators_and_places_filter_and_a_new_source_keeps_the_event(browser, live_server, caseworkers):
    from cases.models import Event, Location, Perpetrator

    (user, _), case = caseworkers
    for n in range(30):
        Perpetrator.objects.create(kind="institution", name=f"Police department No. {n}")
        Location.objects.create(name=f"Pre-trial centre No. {n}", city="Moscow")
    Perpetrator.objects.create(kind="unit", name="Storm-Z detachment")
    Location.objects.create(name="SIZO-1 Matrosskaya Tishina", city="Moscow")
    context, page = signed_in(browser, live_server, user)
    try:
        page.goto(f"/cases/{case.reference}/events/new/")
        page.locator("#id_type").select_option("ill_treatment")
        page.get_by_label("Description").fill("Beaten during questioning.")
        page.get_by_label("Electric shock").check()
        page.get_by_label("Beating or other blunt trauma").check()

        perpetrators = page.locator("#id_perpetrators_list")
        page.locator("#id_perpetrators_filter").fill("storm")
        assert perpetrators.locator("li:visible").count() == 1
        assert "Showing 1 of 31" in page.locator('[data-filter-for="id_perpetrators_list"]').inner_text()
        page.get_by_label("Storm-Z detachment").check()
        page.locator("#id_perpetrators_filter").fill("police department no. 7")
        assert perpetrators.locator("li:visible").count() == 2  # the match, and the one already chosen
        page.locator("#id_location_filter").fill("tishina")
        page.get_by_label("SIZO-1 Matrosskaya Tishina, Moscow, Russia").check()
        assert problems_on(page) == []

        # A source typed in on the event form: saved with the event, nothing typed is lost.
        page.get_by_text("Not in the list: add a new source with this event").click()
        page.get_by_label("Title of the new source").fill("Brother's call, 4 May")
        page.get_by_role("button", name="Add event").click()
        page.wait_for_url(re.compile(rf"/cases/{case.reference}/#event-"))
        event = Event.objects.get(case=case)
        assert set(event.ill_treatment_methods) == {"beating", "electric"}
        assert [p.name for p in event.perpetrators.all()] == ["Storm-Z detachment"]
        assert event.location.name == "SIZO-1 Matrosskaya Tishina"
        assert [s.title for s in event.sources.all()] == ["Brother's call, 4 May"]
    finally:
        context.close()


def test_the_event_form_works_without_javascript(browser, live_server, caseworkers):
    from cases.models import Event, Perpetrator

    (user, _), case = caseworkers
    Perpetrator.objects.create(kind="unit", name="Storm-Z detachment")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/$"))
        page.goto(f"/cases/{case.reference}/events/new/")
        assert page.locator("#id_perpetrators_filter").is_hidden()  # no filter box that cannot work
        page.locator("#id_type").select_option("detention")
        page.get_by_label("Storm-Z detachment").check()
        page.get_by_role("button", name="Add event").click()
        page.wait_for_url(re.compile(rf"/cases/{case.reference}/"))
        assert [p.name for p in Event.objects.get(case=case).perpetrators.all()] == ["Storm-Z detachment"]
    finally:
        context.close()
