"""What a user sees through nginx over HTTPS: readiness, assets, Russian, the client's address, lockouts."""

from __future__ import annotations

import re

from smoke.client import Client

TAG = re.compile(r"<(link|script)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'([a-zA-Z-]+)\s*=\s*"([^"]*)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:css|js)$")
TYPES = {".css": "text/css", ".js": "javascript"}
YEAR = 365 * 24 * 3600


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:300]


def readyz(port: int) -> str:
    response = Client(port).get("/readyz")
    assert response.status == 200, f"/readyz answered {response.status}: {response.text[:200]}"
    return "/readyz is ready (before any upload)"


def referenced(html: str) -> set[str]:
    """Every stylesheet (<link rel="stylesheet" href>, attributes in any order) and script (<script src>) of a page."""
    found = set()
    for tag, attrs in TAG.findall(html):
        values = {name.lower(): value for name, value in ATTR.findall(attrs)}
        if tag.lower() == "script" and values.get("src"):
            found.add(values["src"].replace("&amp;", "&"))
        elif tag.lower() == "link" and "stylesheet" in values.get("rel", "").lower().split() and values.get("href"):
            found.add(values["href"].replace("&amp;", "&"))
    return found


def assets(port: int, pages: list[str], client: Client | None = None, expect: tuple[str, ...] = ()) -> str:
    """Every stylesheet and script the pages reference: 200 and the right type; a static file also with a hashed
    name and a year's cache. Nothing from another host. `expect`: names that must be among them."""
    client = client or Client(port)
    html = {}
    for page in pages:
        response = client.get(page)
        assert response.status == 200, f"{page} answered {response.status}"
        html[page] = response.text
    return asset_urls(port, html, client, expect)


def asset_urls(port: int, html: dict[str, str], client: Client | None = None, expect: tuple[str, ...] = ()) -> str:
    """The check of assets() on pages already fetched (by the browser: those behind a second factor)."""
    client = client or Client(port)
    seen = set().union(*(referenced(text) for text in html.values())) if html else set()
    assert seen, f"no stylesheet or script found on {sorted(html)}"
    missing = [name for name in expect if not any(name in url for url in seen)]
    assert not missing, f"{', '.join(missing)} not referenced by {sorted(html)}"
    for url in sorted(seen):
        assert url.startswith("/") and not url.startswith("//"), f"{url} is not served by Dalil itself"
        response = client.get(url)
        assert response.status == 200, f"{url} answered {response.status}"
        path = url.split("?", 1)[0]
        if not path.startswith("/static/"):  # a view's own script (the API docs' start-up): served, and script
            assert "javascript" in response.headers.get("content-type", ""), f"{url} has type {response.headers.get('content-type')}"
            continue
        wanted = TYPES[path[path.rindex("."):]]
        assert wanted in response.headers.get("content-type", ""), f"{url} has type {response.headers.get('content-type')}"
        assert HASHED.search(path), f"{url} has no content hash in its name"
        age = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
        assert age and int(age.group(1)) >= YEAR, f"{url} is cached for {response.headers.get('cache-control')!r}"
    return f"{len(seen)} stylesheets and scripts of {', '.join(sorted(html))}: 200, right type, hashed names, cached a year"


def russian(port: int) -> str:
    client = Client(port, language="ru")
    text = client.get("/accounts/login/").text
    assert '<html lang="ru"' in text, "the sign-in page is not in Russian with Accept-Language: ru"
    assert "Войти" in text or "Имя пользователя" in text, "the sign-in page's words are not translated"
    return "the interface speaks Russian with Accept-Language: ru"


def sign_in(client: Client, username: str, password: str) -> bool:
    response = client.post_form("/accounts/login/", {"username": username, "password": password})
    return response.status == 302 and "/accounts/login/" not in response.headers.get("location", "")


def lockout_is_per_client(port: int, username: str, password: str) -> str:
    """Five bad sign-ins from 127.0.0.3 lock 127.0.0.3 out, not 127.0.0.2 (nginx's address is 127.0.0.1 for both)."""
    attacker = Client(port, source="127.0.0.3")
    for attempt in range(5):
        response = attacker.post_form("/accounts/login/", {"username": f"nobody-{attempt}", "password": "wrong-password"})
        assert response.status in (200, 400, 403, 429), f"bad sign-in answered {response.status}: {_words(response.text)}"
    assert not sign_in(attacker, username, password), "the client with five failures was not locked out"
    assert sign_in(Client(port, source="127.0.0.2"), username, password), (
        "five bad sign-ins from 127.0.0.3 locked out 127.0.0.2: the lockout counts nginx's address, not the client's"
    )
    return "five bad sign-ins lock out that client only"
