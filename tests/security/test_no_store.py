"""Issue 15, item 8: a shared computer, a browser's back button, a caching proxy.

Whatever a signed-in user was shown, and whatever the API answered, must not be kept by a cache:
every such response says `Cache-Control: no-store, private`, including redirects, errors and 404s.
"""

import pytest
from django.test import Client

from api.services import token_issue
from tests.cast import sign_in
from tests.security.sweep import every_named_url

pytestmark = pytest.mark.django_db


def uncacheable(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", ["caseworker1", "admin1", "legal1"])
def test_every_page_shown_to_a_signed_in_user_is_not_stored(cast, who):
    client = sign_in(Client(raise_request_exception=False), getattr(cast, who))
    cached = []
    for name, path in every_named_url():
        if name in ("accounts:logout", "accounts:sign_out_everywhere"):
            continue  # the session would end here; what follows is no longer a signed-in user's page
        response = client.get(path)
        body_of(response)
        if not uncacheable(response):
            cached.append((name, response.status_code, response.get("Cache-Control", "")))
    assert cached == []
    assert uncacheable(client.get("/no-such-page/"))


def test_every_api_response_is_not_stored(cast):
    raw = token_issue(actor=None, user=cast.caseworker1, scope="read", days=1, system="tests")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    for path in ("/api/v1/cases/", "/api/v1/", "/api/v1/no-such/"):
        assert uncacheable(client.get(path, **auth)), path
    assert uncacheable(client.get("/api/v1/cases/"))  # refused (no token): not stored either
    assert uncacheable(client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer dal_wrong"))
