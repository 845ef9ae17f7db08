import json
import uuid

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from audit import actions
from audit.models import AuditEvent
from audit.services import audit_read
from tests.cast import make_user


@pytest.fixture
def caseworker(cast):
    return cast.caseworker1


@pytest.fixture
def case(cast):
    return cast.case  # caseworker1's


@pytest.fixture
def admin_client(client, cast, settings):
    settings.DALIL_2FA_REQUIRED_FOR = []  # the second factor is the access tests' subject, not ours
    client.force_login(cast.admin1)
    return client


def test_sign_in_produces_exactly_one_event_with_ip_and_agent(client, db):
    user = make_user("signer")  # no role: no second step after the password
    before = AuditEvent.objects.count()
    client.force_login(user)
    events = list(AuditEvent.objects.filter(action=actions.SIGN_IN))
    assert AuditEvent.objects.count() == before + 1 and len(events) == 1
    assert events[0].actor == user and events[0].target_id == str(user.pk)


def test_sign_out_produces_one_event(client, db):
    user = make_user("signer")
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    events = AuditEvent.objects.filter(action=actions.SIGN_OUT)
    assert events.count() == 1 and events.get().actor == user


def test_failed_sign_in_produces_one_event_without_the_password(db):
    user = make_user("victim")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8")
    assert authenticate(request, username="victim", password="wrong-password-123") is None
    event = AuditEvent.objects.get(action=actions.SIGN_IN_FAILED)
    assert event.actor is None and event.data == {"username": "victim"} and event.target_id == str(user.pk)
    assert event.ip == "203.0.113.9" and event.user_agent == "curl/8"
    assert "wrong-password" not in json.dumps(event.data)


def test_recent_sign_ins_show_own_only(client, db):
    me, other = make_user("me"), make_user("other")
    client.force_login(other)
    client.force_login(me)
    request = RequestFactory().post("/accounts/login/")
    authenticate(request, username=me.username, password="nope-nope-nope")
    response = client.get(reverse("audit:sign_ins"))
    assert response.status_code == 200
    signins = response.context["signins"]
    assert [e.action for e in signins] == [actions.SIGN_IN_FAILED, actions.SIGN_IN]
    assert all(e.target_id == str(me.pk) for e in signins)


def test_audit_log_is_for_admins_only(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("audit:log")).status_code == 404
    assert client.get(reverse("audit:export", args=["csv"])).status_code == 404


def test_audit_log_filters_pages_and_is_itself_audited(admin_client, caseworker, case):
    for _ in range(60):
        audit_read(actor=caseworker, action=actions.CASE_VIEWED, target=case)
    response = admin_client.get(reverse("audit:log"), {"user": caseworker.username, "action": actions.CASE_VIEWED})
    assert response.status_code == 200
    events = response.context["events"]
    assert len(events) == 50 and {e.action for e in events} == {actions.CASE_VIEWED}
    page2 = admin_client.get(reverse("audit:log"), {"user": caseworker.username, "action": actions.CASE_VIEWED,
                                                    "before": response.context["next_before"]})
    assert len(page2.context["events"]) == 10 and page2.context["next_before"] is None
    assert AuditEvent.objects.filter(action=actions.AUDIT_LOG_VIEWED).count() == 2


def test_audit_log_bad_filter_is_400(admin_client):
    response = admin_client.get(reverse("audit:log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    response = admin_client.get(reverse("audit:log"), {"date_from": "yesterday"})
    assert response.status_code == 400


def test_exports_carry_chain_hashes_and_are_audited(admin_client, caseworker, case):
    audit_read(actor=caseworker, action=actions.CASE_VIEWED, target=case)
    response = admin_client.get(reverse("audit:export", args=["jsonl"]), {"case": case.reference})
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert rows and all(r["case_ref"] == case.reference and len(r["mac"]) == 64 and len(r["leaf_hash"]) == 64 for r in rows)
    response = admin_client.get(reverse("audit:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0].startswith("seq,at,actor_id") and "mac,leaf_hash" in text.splitlines()[0]
    assert AuditEvent.objects.filter(action=actions.AUDIT_LOG_EXPORTED).count() == 2


def test_case_access_history_for_those_with_access(client, caseworker, case):
    audit_read(actor=caseworker, action=actions.CASE_LIST_VIEWED, data={"cases": [case.pk]})
    audit_read(actor=caseworker, action=actions.CASE_LIST_VIEWED, data={"cases": [uuid.uuid4()]})
    client.force_login(caseworker)
    response = client.get(reverse("cases:history", args=[case.reference]))
    assert response.status_code == 200
    shown = response.context["events"]
    assert {e.action for e in shown} >= {actions.CASE_CREATED, actions.CASE_LIST_VIEWED}
    assert all(e.case_ref == case.reference or str(case.pk) in e.data.get("cases", []) for e in shown)
    assert sum(e.action == actions.CASE_LIST_VIEWED for e in shown) == 1
    assert AuditEvent.objects.filter(action=actions.AUDIT_HISTORY_VIEWED, case_ref=case.reference).count() == 1


def test_access_history_is_404_for_an_outsider(client, cast, case):
    client.force_login(cast.outsider)  # a caseworker with no grant on the case
    assert client.get(reverse("cases:history", args=[case.reference])).status_code == 404
    url = reverse("cases:object_history", args=[case.reference, "cases.person", case.person_id])
    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:history", args=["DAL-1999-9999"])).status_code == 404


def test_object_access_history_is_scoped_by_case(client, caseworker, case):
    audit_read(actor=caseworker, action=actions.PERSON_VIEWED, target=case.person, case=case)
    client.force_login(caseworker)
    response = client.get(reverse("cases:object_history", args=[case.reference, "cases.person", case.person_id]))
    assert response.status_code == 200
    assert [e.action for e in response.context["events"]] == [actions.PERSON_VIEWED]
