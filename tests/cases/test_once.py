"""Each form submission is made once: the back button and a second submit make nothing new."""

import re

import pytest
from django.urls import reverse

from cases.models import Case, Consent, Contact, Event, Source
from tests.cases.test_views import create_data


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no token"
    return match.group(1)


def case_url(name, case):
    return reverse(f"cases:{name}", kwargs={"reference": case.reference})


FORMS = {
    "source_add": (Source, {"title": "Sister's call, 3 May", "kind": "family", "reliability": "unverified"}),
    "event_add": (Event, {"type": "detention", "date": "2024-03-12"}),
    "contact_add": (Contact, {"name": "Timur", "relationship": "brother"}),
    "consent_add": (Consent, {"given_by": "person", "documentation": "on", "given_on": "2024-06-01", "method": "verbal"}),
}

DIFFERENT = {"source_add": "title", "event_add": "description", "contact_add": "name", "consent_add": "notes"}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_second_submit_of_one_rendered_form_makes_nothing_and_shows_the_first(caseworker_client, case, name):
    model, data = FORMS[name]
    before = model.objects.filter(case=case).count()
    token = token_of(caseworker_client.get(case_url(name, case)))
    first = caseworker_client.post(case_url(name, case), {**data, "form_token": token})
    assert first.status_code == 302
    again = caseworker_client.post(case_url(name, case), {**data, "form_token": token}, follow=True)
    assert model.objects.filter(case=case).count() == before + 1
    assert again.redirect_chain[0][0] == first["Location"]  # the record the first submit made
    assert "This form had already been sent: nothing was added again." in again.content.decode()

    # The back button may fetch the form afresh (a new token) with the browser refilling what was typed:
    # the same content from the same person on the same page is still the same submission.
    fresh = token_of(caseworker_client.get(case_url(name, case)))
    assert fresh != token
    refilled = caseworker_client.post(case_url(name, case), {**data, "form_token": fresh})
    assert refilled["Location"] == first["Location"]
    assert model.objects.filter(case=case).count() == before + 1

    # A new form with something else in it adds another.
    other = {**data, DIFFERENT[name]: "Something else"}
    assert caseworker_client.post(case_url(name, case), {**other, "form_token": fresh}).status_code == 302
    assert model.objects.filter(case=case).count() == before + 2


def test_opening_a_case_twice_from_one_form_opens_one_case(caseworker_client):
    token = token_of(caseworker_client.get(reverse("cases:create")))
    first = caseworker_client.post(reverse("cases:create"), {**create_data(), "form_token": token})
    again = caseworker_client.post(reverse("cases:create"), {**create_data(), "form_token": token})
    assert Case.objects.count() == 1
    assert again["Location"] == first["Location"] == reverse("cases:detail", kwargs={"reference": Case.objects.get().reference})


def test_a_form_shown_again_with_errors_keeps_its_token_and_nothing_is_held(caseworker_client, case):
    token = token_of(caseworker_client.get(case_url("source_add", case)))
    bad = caseworker_client.post(case_url("source_add", case), {"kind": "family", "form_token": token})
    assert bad.status_code == 400 and token_of(bad) == token
    good = caseworker_client.post(case_url("source_add", case), {**FORMS["source_add"][1], "form_token": token})
    assert good.status_code == 302
    assert Source.objects.filter(case=case).count() == 1


def test_a_token_is_the_users_own(caseworker_client, caseworker, case, client):
    from tests.cases.test_editing import client_of
    from cases import access
    from tests.cast import role_user

    other = role_user("caseworker", username="caseworker-c")
    access.case_assign(actor=None, user=other, cases=[case])
    token = token_of(caseworker_client.get(case_url("source_add", case)))
    assert caseworker_client.post(case_url("source_add", case), {**FORMS["source_add"][1], "form_token": token}).status_code == 302
    # Someone else sending a seen token and the same content gets their own record, not a pointer to the first one.
    assert client_of(other).post(case_url("source_add", case), {**FORMS["source_add"][1], "form_token": token}).status_code == 302
    assert Source.objects.filter(case=case).count() == 2
