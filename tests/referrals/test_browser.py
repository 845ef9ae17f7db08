"""A legal user builds and downloads a dossier in a real browser."""

import re

import pytest

from django_otp.oath import totp

from tests.referrals.conftest import verify_package
from tests.cast import enrol_totp
from tests.factories import PASSWORD
from tests.referrals.conftest import attach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_legal_user_builds_and_downloads_a_dossier(page, legal, case, caseworker, tmp_path):
    evidence_file = attach(caseworker, case)
    device = enrol_totp(legal)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", legal.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    # Legal staff sign in with a second factor: the real authenticator-app step.
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    # The enrolment used this time step's code, and a code never works twice: take the next one (allowed drift).
    page.fill("input[name=token]", str(totp(device.bin_key, drift=1)).zfill(6))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
    page.goto(f"/cases/{case.reference}/")
    page.click("#new-referral")
    page.fill("input[name=recipient_name]", "Justice Partners LLP")
    page.select_option("select[name=recipient_kind]", "lawyer")
    for checkbox in page.locator("input[name=events]").all():
        checkbox.check()
    page.check(f"input[name=files][value='{evidence_file.pk}']")
    page.get_by_role("button", name="Save draft").click()
    page.click("#build-package")
    page.wait_for_selector("#build-done:not([hidden])", timeout=60_000)
    assert page.locator("#build-bar").get_attribute("value") == "100"
    page.click("#build-done a")
    page.click("#show-passphrase")
    passphrase = page.locator("#passphrase").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", passphrase)
    with page.expect_download() as info:
        page.click("#download-package")
    path = tmp_path / "package.zip"
    info.value.save_as(path)
    report = verify_package(str(path), passphrase)
    assert report.ok, report.failed
    page.goto(f"/cases/{case.reference}/")
    assert "Justice Partners LLP" in page.content()
