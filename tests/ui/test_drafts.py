"""What was typed is not thrown away: an oversized form and a form sent after the session ended come back filled."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Event
from tests.cast import sign_in
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DALIL_2FA_REQUIRED_FOR = []


def _event_url(case):
    return reverse("cases:event_add", kwargs={"reference": case.reference})


def test_an_oversized_form_comes_back_with_its_text_and_a_clear_message(client, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    sign_in(client, cast.caseworker1)
    long_text = "He told how it happened, hour by hour. " * 1000  # about 40 KB: over the limit, under four times it
    data = urlencode({"type": "detention", "date": "12.03.2024", "description": long_text})  # as a browser sends a form
    response = client.post(_event_url(cast.case), data, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "larger than Dalil accepts at once" in page and "nothing was saved" in page
    assert long_text.strip()[:500] in page  # the text is in the form again
    assert 'value="12.03.2024"' in page
    assert not Event.objects.filter(case=cast.case).exists()


def test_far_too_large_or_elsewhere_gets_the_413_page(client, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    sign_in(client, cast.caseworker1)
    form = "application/x-www-form-urlencoded"
    response = client.post(_event_url(cast.case), urlencode({"description": "x" * 10_000}), content_type=form)
    assert response.status_code == 413 and "The form is too large to send" in response.content.decode()
    response = client.post(reverse("cases:list"), urlencode({"x": "y" * 2_000}), content_type=form)
    assert response.status_code == 413


def test_a_form_sent_after_the_session_ended_comes_back_after_signing_in(cast):
    browser = Client()
    typed = {"type": "detention", "date": "about 06.2023", "description": "Taken at night from the dormitory."}
    response = browser.post(_event_url(cast.case), typed)  # the session has ended: nobody is signed in
    assert response.status_code == 401
    page = response.content.decode()
    assert 'name="draft"' in page and "what you typed is kept" in page
    assert "dormitory" not in page  # sealed: the page carries it, unreadable
    draft = page.split('name="draft" value="')[1].split('"')[0]
    response = browser.post(reverse("accounts:login"), {"username": "caseworker1", "password": PASSWORD, "next": _event_url(cast.case), "draft": draft})
    assert response.status_code == 302
    assert "dormitory" not in str(dict(browser.session))  # sealed in the session too
    page = browser.get(response["Location"]).content.decode()
    assert "Taken at night from the dormitory." in page and "nothing was saved" in page
    assert not Event.objects.filter(case=cast.case).exists()
    # Shown once: the next visit is the empty form.
    assert "dormitory" not in browser.get(_event_url(cast.case)).content.decode()


def test_a_forged_draft_is_ignored(cast):
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "caseworker1", "password": PASSWORD, "next": _event_url(cast.case), "draft": "not-a-sealed-draft"})
    response = browser.get(_event_url(cast.case))
    assert response.status_code == 200 and "nothing was saved" not in response.content.decode()


WRITES = ("assessment.item.saved", "assessment.link.added", "assessment.conclusion.saved", "review.requested", "referral.created")
LONG_FORMS = {
    # view name, the user whose form it is, and what they typed
    "referrals:assessment": ("legal1", {"conclusion": "Recruited under threat of prosecution in Rostov.", "version": "0"}),
    "referrals:assessment_item": ("legal1", {"note": "Recruited under threat of prosecution in Rostov.", "version": "0", "options": []}),
    "referrals:review_request": ("caseworker1", {"note": "Recruited under threat of prosecution in Rostov."}),
    "referrals:create": ("legal1", {"recipient_name": "UN Special Rapporteur", "recipient_kind": "un",
                                    "purpose": "Recruited under threat of prosecution in Rostov.", "pseudonym": "Person A"}),
}


def _long_form_url(name, case):
    kwargs = {"reference": case.reference, **({"code": "element:act"} if name == "referrals:assessment_item" else {})}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(LONG_FORMS))
def test_every_long_text_form_keeps_what_was_typed_when_the_session_ended(cast, name):
    from audit.models import AuditEvent
    from cases.drafts import DRAFT_VIEWS

    assert name in DRAFT_VIEWS
    username, typed = LONG_FORMS[name]
    url = _long_form_url(name, cast.case)
    browser = Client()
    response = browser.post(url, typed)
    assert response.status_code == 401 and "Rostov" not in response.content.decode()
    draft = response.content.decode().split('name="draft" value="')[1].split('"')[0]
    response = browser.post(reverse("accounts:login"), {"username": username, "password": PASSWORD, "next": url, "draft": draft})
    assert response.status_code == 302
    page = browser.get(response["Location"])
    assert "Recruited under threat of prosecution in Rostov." in page.content.decode() and "nothing was saved" in page.content.decode()
    assert not AuditEvent.objects.filter(action__in=WRITES).exists()


@pytest.mark.parametrize("name", sorted(LONG_FORMS))
def test_every_long_text_form_comes_back_when_too_large(client, cast, settings, name):
    from audit.models import AuditEvent

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    username, typed = LONG_FORMS[name]
    sign_in(client, getattr(cast, username))
    text_field = next(k for k, v in typed.items() if "Rostov" in str(v))
    long_text = "He told how it happened, hour by hour. " * 700
    response = client.post(_long_form_url(name, cast.case), urlencode({**typed, text_field: long_text}, doseq=True),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and long_text.strip()[:500] in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=WRITES).exists()
