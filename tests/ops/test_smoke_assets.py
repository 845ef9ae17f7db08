"""The smoke run's asset check finds every stylesheet and script of the pages it visits (smoke/checks.py)."""

from django.test import Client

from smoke.checks import referenced
from tests.cast import sign_in


def test_referenced_reads_links_and_scripts_in_any_attribute_order():
    html = ('<link href="/static/a.css" rel="stylesheet"><link rel="icon" href="/static/i.png">'
            '<script defer src="/static/b.js"></script><script>inline()</script>'
            '<link rel="preload stylesheet" href="/static/c.css"><script src="/api/v1/docs/?script=&amp;x=1"></script>')
    assert referenced(html) == {"/static/a.css", "/static/b.js", "/static/c.css", "/api/v1/docs/?script=&x=1"}


def test_the_pages_the_smoke_run_visits_reference_webauthn_and_the_api_docs(cast):
    """What smoke/__main__.py expects to find, found on the same pages here (a legal user: a verified second factor)."""
    client = sign_in(Client(), cast.legal1)
    seen = set()
    for page in ("/accounts/2fa/security-key/", "/api/v1/docs/"):
        response = client.get(page)
        assert response.status_code == 200, page
        seen |= referenced(response.content.decode())
    for name in ("accounts/webauthn.", "swagger-ui-bundle.", "swagger-ui.", "api/swagger.", "otp_webauthn"):
        assert any(name in url for url in seen), (name, sorted(seen))
