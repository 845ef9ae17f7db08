"""A real browser (Debian's chromium through Playwright) through nginx: a caseworker opens a case, uploads a
file and downloads it byte-identical; a legal user signs in with a code from their authenticator app."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def caseworker_upload_and_download(page, username: str, password: str, folder: Path) -> str:
    _sign_in(page, username, password)
    page.goto("/cases/new/")
    page.fill("#id_name_latin", "Sherzod Yusupov")
    page.fill("#id_name_cyrillic", "Шерзод Юсупов")
    page.fill("#id_birth_date", "1992")
    page.select_option("#id_nationality", "UZ")
    page.get_by_label("Recruitment pathway").select_option("migrant_raid")
    page.fill("#id_contact-name", "Malika Yusupova")
    page.select_option("#id_contact-relationship", "sister")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url(re.compile(r"/cases/DAL-\d{4}-\d+/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    original = folder / "testimony.bin"
    original.write_bytes(os.urandom(300_000) + "свидетельство".encode())
    page.goto(f"/evidence/{reference}/upload/")
    page.set_input_files("#id_file", str(original))
    page.get_by_role("button", name="Upload and encrypt").click()
    page.wait_for_load_state()
    page.goto(f"/evidence/{reference}/")
    page.click(f"a[href^='/evidence/{reference}/files/']")
    page.wait_for_load_state()
    downloaded = _download(page)
    assert hashlib.sha256(downloaded.read_bytes()).digest() == hashlib.sha256(original.read_bytes()).digest(), (
        "the downloaded file differs from the uploaded one"
    )
    return f"a caseworker opened {reference}, uploaded a file and downloaded it byte-identical"


def _download(page, seconds: float = 60) -> Path:
    """Click the download link until the worker has finished intake (until then the file is not offered)."""
    deadline = time.monotonic() + seconds
    while True:
        link = page.locator("a[href$='/download/']")
        if link.count():
            try:
                with page.expect_download(timeout=10_000) as info:
                    link.first.click()
                return Path(info.value.path())
            except PlaywrightTimeout:
                pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the file was not offered for download within {seconds:.0f} s ({page.url})")
        time.sleep(2)
        page.reload()


def legal_sign_in_with_totp(page, username: str, password: str, totp_key: bytes, html: dict) -> str:
    _sign_in(page, username, password)
    assert "/accounts/2fa/" in page.url, f"a legal user was not asked for a second factor ({page.url})"
    html["second step"] = page.content()  # its security-key scripts are checked by checks.asset_urls
    page.fill("input[name=token]", str(totp(totp_key)).zfill(6))
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    page.goto("/")
    assert "/accounts/" not in page.url, f"the legal user is not signed in after the code ({page.url})"
    page.goto("/accounts/2fa/security-key/")  # a verified session may add a key: the page that loads webauthn.js
    assert "/accounts/2fa/security-key/" in page.url, f"the legal user could not open the security-key page ({page.url})"
    html["security-key enrolment"] = page.content()
    return "a legal user signed in with a TOTP code"


def run(base_url: str, folder: Path, users: dict, html: dict) -> list[str]:
    """The browser's flows; `html` gets the pages only a signed-in browser reaches, by name, for the asset check."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                     "--disable-background-networking", "--disable-component-update"])
        try:
            done = []
            for flow in ("caseworker", "legal"):
                context = browser.new_context(base_url=base_url, ignore_https_errors=True, accept_downloads=True)
                page = context.new_page()
                page.set_default_timeout(30_000)
                if flow == "caseworker":
                    done.append(caseworker_upload_and_download(page, *users["caseworker"], folder))
                else:
                    done.append(legal_sign_in_with_totp(page, *users["legal"], html))
                context.close()
            return done
        finally:
            browser.close()
