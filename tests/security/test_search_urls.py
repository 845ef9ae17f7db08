"""Item 11: a name searched for lands in no URL, log line, browser history or session row.

The attacker reads what a server keeps without meaning to: the proxy's access log, the application's
logs, the session table, a browser's history (the URLs it was sent to) and Referer headers.
"""

import base64
import json
import logging
import re
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import make_case
from tests.security.fixtures_hardening import keyring  # noqa: F401

pytestmark = pytest.mark.usefixtures("keyring")
NAME = "Каримов"
ROOT = Path(__file__).resolve().parents[2]


def _forms_of(name: str) -> list[str]:
    return [name, quote(name), quote_plus(name), quote(name).lower(), name.encode("utf-8").hex()]


def _session_text() -> str:
    """Every session row, opened as Django stores it (signed, maybe zlib-compressed base64 JSON)."""
    texts = []
    for session in Session.objects.all():
        raw = session.session_data.split(":")[0]
        compressed = raw.startswith(".")
        data = base64.urlsafe_b64decode(raw.lstrip(".") + "=" * (-len(raw.lstrip(".")) % 4))
        decoded = json.loads(zlib.decompress(data) if compressed else data)
        texts.append(json.dumps(decoded, ensure_ascii=False))  # JSON escapes Cyrillic: compare the text itself
        texts.append(session.session_data)
    return "\n".join(texts)


@pytest.fixture
def karimov(cast):
    return make_case(actor=cast.caseworker1, name_latin="Dilshod Karimov", name_cyrillic="Дилшод Каримов", nationality="UZ")


def test_a_name_search_leaves_no_name_in_urls_logs_or_sessions(client, cast, sign_in, karimov, caplog):
    sign_in(client, cast.caseworker1)
    caplog.set_level(logging.DEBUG)
    response = client.post(reverse("cases:list"), {"q": NAME, "status": "intake"})
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(re.escape(reverse("cases:list")) + r"\?s=[A-Za-z0-9_-]{16}", location), location
    page = client.get(location)
    assert page.status_code == 200
    body = page.content.decode()
    assert karimov.reference in body and cast.case.reference not in body
    # The form shows what was searched (from the session), and every link on the page carries only the id.
    assert f'value="{NAME}"' in body
    links = re.findall(r'href="([^"]+)"', body) + re.findall(r'action="([^"]+)"', body)
    assert not [u for u in links + [location] for f in _forms_of(NAME) if f in u]
    # Nothing logged and nothing in the session table names the person.
    assert not [r for r in caplog.records for f in _forms_of(NAME) if f in r.getMessage()]
    assert not [f for f in _forms_of(NAME) if f in _session_text()]


def test_the_search_id_is_linkable_in_its_session_only(client, cast, sign_in, karimov):
    sign_in(client, cast.caseworker1)
    location = client.post(reverse("cases:list"), {"q": NAME})["Location"]
    assert karimov.reference in client.get(location).content.decode()
    assert karimov.reference in client.get(location).content.decode()  # again: a link, not a one-off
    sign_in(client, cast.caseworker2)  # another user (a new session) following the link learns nothing
    page = client.get(location)
    assert page.status_code == 200 and karimov.reference not in page.content.decode()
    assert "no longer available" in page.content.decode()


def test_a_name_in_the_address_is_not_searched(client, cast, sign_in, karimov):
    sign_in(client, cast.caseworker1)
    response = client.get(reverse("cases:list"), {"q": NAME})
    assert response.status_code == 400 and karimov.reference not in response.content.decode()


def test_the_search_form_posts():
    template = (ROOT / "templates/cases/case_list.html").read_text()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", template).group(0)
    assert 'method="post"' in form


def test_the_nginx_example_logs_no_query_string_or_referer():
    conf = (ROOT / "docs/deploy/nginx.conf").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    formats = dict(re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", code))
    logs = re.findall(r"access_log\s+([^;]+);", code)
    assert logs, "the example must say how it logs"
    for log in logs:
        parts = log.split()
        assert parts[0] == "off" or (len(parts) > 1 and parts[1] in formats), f"access_log without a query-free format: {log}"
    for fmt in formats.values():
        # $request and $request_uri hold the query string; $args / $query_string / $arg_* are it; Referer holds the last URL.
        assert not re.search(r"\$(request|request_uri|args|query_string|arg_\w+|http_referer)\b", fmt), fmt
