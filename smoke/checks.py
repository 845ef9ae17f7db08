"""What a user sees through nginx over HTTPS: readiness, assets, Russian, the client's address, lockouts."""

from __future__ import annotations

import re

from smoke.client import Client

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="(/static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:css|js)$")
TYPES = {".css": "text/css", ".js": "javascript"}
YEAR = 365 * 24 * 3600


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:300]


def readyz(port: int) -> str:
    response = Client(port).get("/readyz")
    assert response.status == 200, f"/readyz answered {response.status}: {response.text[:200]}"
    return "/readyz is ready (before any upload)"


def assets(port: int, pages: list[str], client: Client | None = None) -> str:
    """Every stylesheet and script the pages reference: 200, the right type, hashed name, a year's cache."""
    client = client or Client(port)
    seen = set()
    for page in pages:
        response = client.get(page)
        assert response.status == 200, f"{page} answered {response.status}"
        seen.update(ASSET.findall(response.text))
    assert seen, f"no stylesheet or script found on {pages}"
    for url in sorted(seen):
        response = Client(port).get(url)
        assert response.status == 200, f"{url} answered {response.status}"
        wanted = TYPES[url[url.rindex("."):]]
        assert wanted in response.headers.get("content-type", ""), f"{url} has type {response.headers.get('content-type')}"
        assert HASHED.search(url), f"{url} has no content hash in its name"
        age = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
        assert age and int(age.group(1)) >= YEAR, f"{url} is cached for {response.headers.get('cache-control')!r}"
    return f"{len(seen)} stylesheets and scripts: 200, right type, hashed names, cached a year"


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
