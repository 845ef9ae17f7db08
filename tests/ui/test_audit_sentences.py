"""The audit log reads as sentences in the reader's language; links only where the reader may follow them."""

import re

import pytest
from django.urls import reverse

from audit import actions
from audit.services import audit_read
from tests.cast import sign_in


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_log_reads_as_sentences_without_codes(client, cast):
    audit_read(actor=cast.caseworker1, action=actions.CASE_VIEWED, target=cast.case)
    sign_in(client, cast.admin1)
    page = client.get(reverse("audit:log")).content.decode()
    ref = cast.case.reference
    assert f"caseworker1 opened case {ref}." in _text(page)
    for code in ("case.viewed", "cases.case:", "accounts.user:", "view_case", "case.list_viewed"):
        assert code not in _text(page), code
    # The admin may not open the case: its reference leads to who has access, not to the case.
    assert f'href="/cases/{ref}/"' not in page and f'href="/manage/cases/{ref}/access/"' in page
    assert f'href="/manage/users/{cast.caseworker1.pk}/"' in page


def test_grants_name_the_person_and_the_rights_in_words(client, cast):
    sign_in(client, cast.admin1)
    text = _text(client.get(reverse("audit:log")).content.decode())
    assert f"caseworker1 gave legal1 access to {cast.case.reference}" in text and "rights: download files, prepare referrals, read" in text


def test_in_russian(client, cast):
    audit_read(actor=cast.caseworker1, action=actions.CASE_VIEWED, target=cast.case)
    sign_in(client, cast.admin1)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    text = _text(client.get(reverse("audit:log")).content.decode())
    assert f"caseworker1 открыл(а) дело {cast.case.reference}." in text


def test_the_filter_offers_what_happened_in_words_and_filters_by_it(client, cast):
    audit_read(actor=cast.caseworker1, action=actions.CASE_VIEWED, target=cast.case)
    sign_in(client, cast.admin1)
    page = client.get(reverse("audit:log"), {"action": actions.CASE_VIEWED}).content.decode()
    assert '<option value="case.viewed" selected>Case read</option>' in page
    assert "gave legal1 access" not in _text(page)
    # Each label sits with its own box.
    assert '<label for="id_action">' in page and 'id="id_action"' in page


def test_a_caseworker_follows_links_to_their_own_case_in_its_history(client, cast):
    audit_read(actor=cast.caseworker1, action=actions.CASE_VIEWED, target=cast.case)
    sign_in(client, cast.caseworker1)
    page = client.get(reverse("cases:history", args=[cast.case.reference])).content.decode()
    assert f'href="/cases/{cast.case.reference}/"' in page
    assert "/manage/users/" not in page  # a caseworker manages no one: names stay plain


def test_every_action_has_words():
    from audit import actions as A
    from audit.sentences import SENTENCES

    codes = {v for k, v in vars(A).items() if k.isupper() and isinstance(v, str)}
    assert not codes - set(SENTENCES), "audit/sentences.py needs a name and a sentence for these"
