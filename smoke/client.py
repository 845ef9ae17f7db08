"""A small HTTPS client for the smoke run: speaks to nginx from a chosen loopback address, keeps cookies."""

from __future__ import annotations

import http.client
import re
import ssl
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    port: int
    source: str = "127.0.0.1"  # the client's own loopback address; nginx sees it as $remote_addr
    cookies: dict[str, str] = field(default_factory=dict)
    language: str = "en"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the run's own throw-away certificate
        conn = http.client.HTTPSConnection("localhost", self.port, timeout=30, context=context,
                                           source_address=(self.source, 0))
        sent = {"Host": f"localhost:{self.port}", "Accept-Language": self.language, "User-Agent": "dalil-smoke"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        """POST a form the way a browser does after loading it: with its CSRF token and our origin."""
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match.group(1) if match else ""
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        origin = f"https://localhost:{self.port}"
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Origin": origin, "Referer": origin + path})
