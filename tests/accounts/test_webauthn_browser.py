"""WebAuthn in a real browser: Chromium's virtual authenticator (CDP WebAuthn domain) registers a
security key and then signs in with it as the second factor."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditEvent
from tests.cast import build_cast, enrolment_link
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def webauthn_site(settings, live_server):
    origin = live_server.url.replace("127.0.0.1", "localhost")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [origin]
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    return origin


@pytest.fixture
def key_page(browser, webauthn_site):
    context = browser.new_context(base_url=webauthn_site)
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": {"protocol": "ctap2", "transport": "usb", "hasResidentKey": True, "hasUserVerification": True,
                     "isUserVerified": True, "automaticPresenceSimulation": True}},
    )
    yield page
    context.close()


def sign_in_with_password(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")


def test_security_key_enrolment_and_sign_in(key_page, settings):
    settings.DALIL_ADMIN_REQUIRE_SECURITY_KEY = True
    cast = build_cast()
    page = key_page

    # An admin without a key is sent to enrolment, not in; without an enrolment link, no key can be added.
    sign_in_with_password(page, "admin1")
    page.goto("/manage/users/")
    assert "/accounts/2fa/" in page.url
    page.goto("/accounts/2fa/security-key/")
    assert page.url.endswith("/accounts/2fa/") and page.locator("#passkey-register-button").count() == 0
    page.goto(enrolment_link(cast.admin1))
    page.goto("/accounts/2fa/security-key/")
    page.wait_for_load_state("networkidle")  # SQLite's shared test database locks under concurrent session saves
    page.click("#passkey-register-button")
    # Registering did not sign this session in: the new key is used once to finish.
    page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
    assert WebAuthnCredential.objects.filter(user=cast.admin1, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="account.2fa.enrolled", actor=cast.admin1, data__method="webauthn").exists()
    page.goto("/manage/users/")
    assert "/accounts/2fa/verify/" in page.url
    page.wait_for_load_state("networkidle")
    page.click("#passkey-verification-button")
    page.wait_for_url(re.compile(r"/manage/users/$"))
    assert AuditEvent.objects.filter(action="auth.sign_in", actor=cast.admin1).count() == 1

    # A new sign-in is held at the second step until the key answers.
    page.context.clear_cookies()
    sign_in_with_password(page, "admin1")
    page.goto("/manage/users/")
    assert "/accounts/2fa/verify/" in page.url
    assert page.locator("input[name=token]").count() == 0  # admins may not use codes when a key is required
    page.wait_for_load_state("networkidle")
    page.click("#passkey-verification-button")
    page.wait_for_url(re.compile(r"/manage/users/$"))
    assert "admin1" in page.content()
