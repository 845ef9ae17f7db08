"""Destructive actions stop on a page that names the consequence; nothing happens until it is confirmed."""

import pytest
from django.urls import reverse

from tests.cast import sign_in


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _confirm_page(response, *words):
    page = response.content.decode()
    assert response.status_code == 200 and 'name="confirmed" value="1"' in page and 'class="danger"' in page, page[:300]
    assert all(w in page for w in words), words
    return page


def test_deactivation_asks_first_names_the_consequence_and_is_undone_by_reactivating(client, cast):
    sign_in(client, cast.admin1)
    url = reverse("manage:user_deactivate", kwargs={"pk": cast.caseworker2.pk})
    _confirm_page(client.post(url), "caseworker2 is signed out on every device", "Reactivate")
    cast.caseworker2.refresh_from_db()
    assert cast.caseworker2.is_active  # asking changed nothing
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    cast.caseworker2.refresh_from_db()
    assert not cast.caseworker2.is_active
    client.post(reverse("manage:user_reactivate", kwargs={"pk": cast.caseworker2.pk}))
    cast.caseworker2.refresh_from_db()
    assert cast.caseworker2.is_active


def test_removing_all_access_of_a_person_asks_first(client, cast):
    from cases.models import Case
    from cases.selectors import user_has_case_perm

    sign_in(client, cast.admin1)
    url = reverse("manage:case_access_change", kwargs={"reference": cast.case.reference})
    data = {"action": "unassign", "user": cast.legal1.pk}
    _confirm_page(client.post(url, data), "legal1 loses every grant on " + cast.case.reference)
    assert user_has_case_perm(cast.legal1, cast.case)
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not user_has_case_perm(cast.legal1, Case.objects.get(pk=cast.case.pk))  # a fresh object: no remembered answer


def test_merging_duplicates_asks_first(client, cast):
    from cases.models import Case
    from tests.factories import make_case

    twin = make_case(actor=cast.caseworker1)
    sign_in(client, cast.caseworker1)
    data = {"kept": cast.case.reference, "other": twin.reference, "action": "merge"}
    _confirm_page(client.post(reverse("patterns:duplicate_action"), data), f"{twin.reference} is closed")
    assert Case.objects.get(pk=twin.pk).status != "closed"
    assert client.post(reverse("patterns:duplicate_action"), {**data, "confirmed": "1"}).status_code == 302
    assert Case.objects.get(pk=twin.pk).status == "closed"


def test_a_page_for_a_case_not_yours_is_still_a_404_not_a_confirmation(client, cast):
    sign_in(client, cast.caseworker2)
    data = {"kept": cast.case.reference, "other": cast.other_case.reference, "action": "merge"}
    assert client.post(reverse("patterns:duplicate_action"), data).status_code == 404


def test_revoking_a_token_asks_first(client, cast):
    from api import services
    from api.models import ApiToken

    token, _secret = services.token_issue(actor=cast.caseworker1, user=cast.caseworker1, scope="read", days=30)
    sign_in(client, cast.admin1)
    url = reverse("api_tokens:revoke", kwargs={"token_id": token.pk})
    _confirm_page(client.post(url), "is refused from now on")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    client.post(url, {"confirmed": "1"})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_destroying_a_file_is_styled_as_dangerous_and_names_the_consequence(client, cast):
    from evidence.services import evidence_attach

    f = evidence_attach(actor=cast.caseworker1, case=cast.case, content=b"scan" * 10, original_name="scan.txt", description="")
    sign_in(client, cast.caseworker1)
    page = client.get(reverse("evidence:detail", kwargs={"reference": cast.case.reference, "file_id": f.pk})).content.decode()
    assert 'class="panel danger-zone" id="destroy"' in page and "destroyed for good" in page
