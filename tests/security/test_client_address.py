"""Issue 15, item 4: behind the documented proxy every request comes from the proxy's address.

An attacker guessing passwords from one address must lock out that address only, not every user
behind the same proxy; forging X-Forwarded-For must not let them pick whose address is locked; and
the audit log names the client, not the proxy. One rule (audit.middleware.client_ip) serves django-axes,
the audit events and the API throttles.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from api.throttling import TokenRateThrottle
from audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ATTACKER = "198.51.100.66"
COLLEAGUE = "203.0.113.10"


@pytest.fixture
def behind_proxy(settings):
    settings.DALIL_BEHIND_PROXY = True
    settings.DALIL_TRUSTED_PROXIES = 1
    return settings


def through_proxy(client_address: str, forged: str = "") -> Client:
    chain = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_failures_from_one_client_do_not_lock_out_another_behind_the_proxy(cast, behind_proxy):
    attacker = through_proxy(ATTACKER, forged=COLLEAGUE)  # forging the colleague's address changes nothing
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, f"nobody{n}", "wrong-password-123")
    assert sign_in(attacker, "caseworker2").status_code == 429  # the attacker's address is locked
    colleague = through_proxy(COLLEAGUE)
    assert sign_in(colleague, "caseworker1").status_code == 302
    signed_in = AuditEvent.objects.filter(action="auth.sign_in", actor=cast.caseworker1).get()
    assert signed_in.ip == COLLEAGUE
    failed = AuditEvent.objects.filter(action="auth.sign_in_failed")
    assert failed.count() >= django_settings.AXES_FAILURE_LIMIT and set(failed.values_list("ip", flat=True)) == {ATTACKER}
    locked = AuditEvent.objects.filter(action="account.locked_out").first()
    assert locked is not None and locked.ip == ATTACKER


def test_the_api_throttle_counts_the_client_not_the_proxy(behind_proxy, rf):
    request = rf.get("/api/v1/cases/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{COLLEAGUE}, {ATTACKER}")
    assert TokenRateThrottle().get_ident(request) == ATTACKER


def test_without_the_proxy_setting_a_forged_header_is_ignored(cast, settings):
    settings.DALIL_BEHIND_PROXY = False
    client = Client(REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert sign_in(client, "caseworker1").status_code == 302
    assert AuditEvent.objects.get(action="auth.sign_in").ip == "192.0.2.44"
