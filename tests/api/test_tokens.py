import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from audit.models import AuditEvent


def _issue(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_issue_token_prints_it_once_and_stores_only_its_hash(cast):
    raw, note = _issue("caseworker1", "--scope", "read", "--days", "7")
    assert raw.startswith("dal_") and len(raw) > 40
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.scope == "read" and token.user == cast.caseworker1
    assert datetime.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= datetime.timedelta(days=7)
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert raw not in stored and raw not in note
    assert AuditEvent.objects.filter(action="api.token.issued", actor_label="system:issue_token").count() == 1
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody", "--scope", "read", "--days", "7"], "No user named"),
        (["caseworker1", "--scope", "read", "--days", "0"], "days must be between"),
        (["caseworker1", "--scope", "read", "--days", "100000"], "days must be between"),
    ],
)
def test_issue_token_refuses_bad_input_with_one_line(cast, args, message):
    with pytest.raises(CommandError, match=message):
        _issue(*args)
    assert not ApiToken.objects.exists()


def test_issue_token_rejects_an_unknown_scope(cast):
    with pytest.raises((CommandError, SystemExit)):
        _issue("caseworker1", "--scope", "admin", "--days", "7")
    assert not ApiToken.objects.exists()


def test_no_token_is_401_with_a_json_message():
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated" and response.json()["message"]


def test_unknown_token_is_401(db):
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer dal_nonsense")
    assert response.status_code == 401
    assert response.json()["message"] == "The token is not valid."


def test_expired_token_is_refused_and_the_attempt_audited(api, case):
    client = api("caseworker1")
    ApiToken.objects.filter(pk=client.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "expired" in response.json()["message"]
    event = AuditEvent.objects.get(action="api.token.rejected")
    assert event.data["reason"] == "expired" and event.data["credential"] == client.token.prefix


def test_revoked_token_is_refused(api, cast, case):
    from api.services import token_revoke

    client = api("caseworker1")
    assert client.get("/api/v1/cases/").status_code == 200
    token_revoke(actor=cast.admin1, token=client.token)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401 and "revoked" in response.json()["message"]
    assert AuditEvent.objects.filter(action="api.token.revoked", actor=cast.admin1).exists()


def test_sign_out_everywhere_revokes_the_users_tokens(api, cast):
    from accounts.services import user_sign_out_everywhere

    client, other = api("caseworker1"), api("caseworker2")
    user_sign_out_everywhere(actor=cast.caseworker1, user=cast.caseworker1)
    assert client.get("/api/v1/cases/").status_code == 401
    assert other.get("/api/v1/cases/").status_code == 200


def test_deactivated_users_token_stops_working(api, cast):
    from accounts.services import user_deactivate

    client = api("caseworker1")
    user_deactivate(actor=cast.admin1, user=cast.caseworker1)
    assert client.get("/api/v1/cases/").status_code == 401


def test_read_scope_may_read_but_not_create(api, case):
    client = api("caseworker1", scope="read")
    assert client.get(f"/api/v1/cases/{case.reference}/").status_code == 200
    response = client.post("/api/v1/cases/", {"person": {"name_latin": "A B", "nationality": "UZ"}}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["message"]
    response = client.post(f"/api/v1/cases/{case.reference}/events/", {"type": "detention"}, format="json")
    assert response.status_code == 403


def test_every_token_use_is_audited_without_the_query_string(api, case):
    client = api("caseworker1")
    client.get("/api/v1/cases/?query=Rustam")
    client.get(f"/api/v1/cases/{case.reference}/")
    events = list(AuditEvent.objects.filter(action="api.request").order_by("id"))
    assert [e.data["path"] for e in events] == ["/api/v1/cases/", f"/api/v1/cases/{case.reference}/"]
    assert all(e.actor_id == client.token.user_id and e.data["credential"] == client.token.prefix for e in events)
    assert events[1].case_ref == case.reference
    assert not AuditEvent.objects.filter(data__icontains="Rustam").exists()
    assert AuditEvent.objects.filter(action="case.viewed", case_ref=case.reference, data__via="api").exists()


# --- The admin page -----------------------------------------------------------

def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def no_second_factor(settings):
    settings.DALIL_2FA_REQUIRED_FOR = []


def test_the_page_issues_a_token_for_oneself_shown_once(client, cast, no_second_factor):
    _signed_in(client, cast.caseworker1)
    response = client.post("/api/tokens/", {"scope": "intake", "days": 30, "name": "Bishkek phone"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["new_token"]
    assert hashlib.sha256(raw.encode()).hexdigest() == token.key_hash
    assert raw in response.content.decode()
    assert raw not in client.get("/api/tokens/").content.decode()
    assert token.user == token.created_by == cast.caseworker1 and token.name == "Bishkek phone"


def test_the_page_bad_input_is_400_and_saves_nothing(client, cast, no_second_factor):
    _signed_in(client, cast.admin1)
    response = client.post("/api/tokens/", {"scope": "everything", "days": 0})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_admin_page_revokes(client, cast, api, no_second_factor):
    holder = api("caseworker1")
    _signed_in(client, cast.admin1)
    response = client.post(f"/api/tokens/{holder.token.pk}/revoke/", {"confirmed": "1"})
    assert response.status_code == 302
    assert holder.get("/api/v1/cases/").status_code == 401


def test_token_page_needs_a_role(client, nobody, no_second_factor):
    _signed_in(client, nobody)  # no role at all
    assert client.get("/api/tokens/").status_code == 404
    assert client.post("/api/tokens/", {"scope": "intake", "days": 30}).status_code == 404
    assert not ApiToken.objects.exists()


def test_a_second_submit_of_the_issue_form_issues_no_second_token(client, cast, no_second_factor):
    from tests.cases.test_once import token_of

    _signed_in(client, cast.caseworker1)
    form_token = token_of(client.get("/api/tokens/"))
    data = {"scope": "intake", "days": 30, "name": "Osh phone", "form_token": form_token}
    first = client.post("/api/tokens/", data)
    assert first.status_code == 200 and first.context["new_token"]
    again = client.post("/api/tokens/", data, follow=True)
    assert ApiToken.objects.count() == 1
    assert again.context["new_token"] is None  # the raw token was shown once and is never shown again
    assert "This form had already been sent: nothing was added again." in again.content.decode()
    # The form on the page after an issue is a new one: another token may be issued from it.
    other = client.post("/api/tokens/", {**data, "name": "Kulob phone", "form_token": token_of(first)})
    assert other.status_code == 200 and ApiToken.objects.count() == 2
