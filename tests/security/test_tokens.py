"""Issue 15, item 2: an admin (or whoever holds an admin's session) tries to read a caseworker's cases.

Minting a token for the caseworker and reading as them must fail at every door: the page, the
service, a forged form field. An admin's own token, like every other path, reads no case without a
grant on it, and such a grant is audited. Issuing any token needs a fresh password (and the second
step where the role needs one); an admin may revoke others' tokens, nothing more.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken
from audit.models import AuditEvent
from cases import access
from tests.cast import enrol_totp, make_stale, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKENS = reverse("api_tokens:list")


def api_as(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_an_admin_cannot_mint_a_token_for_someone_else(cast):
    admin = sign_in(Client(), cast.admin1)
    admin.post(TOKENS, {"user": cast.caseworker1.pk, "scope": "read", "days": 30})  # a forged field
    assert not ApiToken.objects.filter(user=cast.caseworker1).exists()
    with pytest.raises(ValueError):
        services.token_issue(actor=cast.admin1, user=cast.caseworker1, scope="read", days=30)
    assert not ApiToken.objects.filter(user=cast.caseworker1).exists()


def test_an_admins_own_token_reads_no_case_without_an_audited_grant(cast):
    admin = sign_in(Client(), cast.admin1)
    response = admin.post(TOKENS, {"scope": "read", "days": 1})
    raw = response.context["new_token"]
    assert ApiToken.objects.get().user == cast.admin1
    reader = api_as(raw)
    ref = cast.case.reference
    listed = reader.get("/api/v1/cases/").json()
    assert ref not in str(listed) and cast.case.person.name_latin not in str(listed)
    for path in (f"/api/v1/cases/{ref}/", f"/api/v1/cases/{ref}/events/", f"/api/v1/cases/{ref}/sources/", f"/api/v1/cases/{ref}/files/"):
        assert reader.get(path).status_code == 404, path
    found = reader.get("/api/v1/persons/search/", {"q": cast.case.person.name_latin})
    assert cast.case.person.name_latin not in found.content.decode()
    # The web pages of the case as well.
    assert admin.get(reverse("cases:detail", kwargs={"reference": ref})).status_code == 404
    # A grant opens it, and the grant is in the audit log.
    access.case_grant_self(actor=cast.admin1, case=cast.case)
    assert AuditEvent.objects.filter(action="access.grant.added", actor=cast.admin1, case_ref=ref).exists()
    assert reader.get(f"/api/v1/cases/{ref}/").status_code == 200


def test_issuing_a_token_needs_a_fresh_password(cast):
    user = sign_in(Client(), cast.caseworker1)
    make_stale(user)
    response = user.post(TOKENS, {"scope": "intake", "days": 30})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert not ApiToken.objects.exists()
    user.post(reverse("accounts:reauthenticate"), {"password": PASSWORD})
    assert user.post(TOKENS, {"scope": "intake", "days": 30}).status_code == 200
    assert ApiToken.objects.get().user == cast.caseworker1


def test_issuing_a_token_needs_the_second_step_where_the_role_requires_it(cast):
    enrol_totp(cast.legal1)
    half = Client()
    half.post(reverse("accounts:login"), {"username": "legal1", "password": PASSWORD})
    response = half.post(TOKENS, {"scope": "read", "days": 30})
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert not ApiToken.objects.exists()


def test_only_the_owner_or_an_admin_revokes_and_nobody_sees_others_tokens(cast):
    token, raw = services.token_issue(actor=cast.caseworker1, user=cast.caseworker1, scope="read", days=5, name="Osh field kit")
    other = sign_in(Client(), cast.caseworker2)
    assert "Osh field kit" not in other.get(TOKENS).content.decode() and token.prefix not in other.get(TOKENS).content.decode()
    assert other.post(reverse("api_tokens:revoke", kwargs={"token_id": token.pk}), {"confirmed": "1"}).status_code == 404
    assert api_as(raw).get("/api/v1/cases/").status_code == 200
    admin = sign_in(Client(), cast.admin1)
    assert admin.post(reverse("api_tokens:revoke", kwargs={"token_id": token.pk}), {"confirmed": "1"}).status_code == 302
    assert api_as(raw).get("/api/v1/cases/").status_code == 401
