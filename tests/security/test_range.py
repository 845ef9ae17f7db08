"""Item 10: a pathological Range header is ignored (whole file) or 416, never a 500."""

import pytest

from evidence import services
from evidence.views import _parse_range
from tests.security.fixtures_hardening import evidence_url, keyring  # noqa: F401

pytestmark = pytest.mark.usefixtures("keyring")

CONTENT = b"0123456789" * 10

HEADERS = [
    "bytes=" + "9" * 5000 + "-",  # thousands of digits: int() of it raises past Python's 4300-digit limit
    "bytes=0-" + "9" * 5000,
    "bytes=-" + "9" * 5000,
    "bytes=" + "0" * 5000 + "1-2",  # leading zeros, a tiny number
    "bytes=" + "9" * 5000 + "-" + "9" * 5000,
    "bytes=-5-6", "bytes=--1", "bytes=-0", "bytes=5-2", "bytes=0-1,3-4,5-6", "bytes=0-1, 2-3",
    "bytes=" + ",".join(["0-0"] * 2000), "bytes=a-b", "bytes=", "bytes=-", "items=0-1", "garbage",
    "bytes=\x00-1", "bytes=１-２",  # NUL, full-width digits (\d matches them in Python)
    "bytes=0-1\r\nX-Injected: 1", " " * 10000,
]


@pytest.mark.parametrize("header", HEADERS, ids=range(len(HEADERS)))
def test_a_bad_range_is_ignored_or_416(client, cast, sign_in, header):
    f = services.evidence_attach(actor=cast.caseworker1, case=cast.case, content=CONTENT, original_name="s.txt", source_label="x")
    sign_in(client, cast.caseworker1)
    response = client.get(evidence_url("download", cast.case, f), HTTP_RANGE=header)
    assert response.status_code in (200, 206, 416), response.status_code
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == CONTENT
    elif response.status_code == 206:
        start, end = (int(x) for x in response["Content-Range"].split(" ")[1].split("/")[0].split("-"))
        assert b"".join(response.streaming_content) == CONTENT[start : end + 1]
    else:
        assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_the_parser_answers_every_header_without_raising():
    for header in HEADERS:
        answer = _parse_range(header, len(CONTENT))
        assert answer is None or answer == "bad" or (0 <= answer[0] <= answer[1] < len(CONTENT)), (header, answer)
    assert _parse_range("bytes=" + "0" * 5000 + "1-2", 100) == (1, 2)
    assert _parse_range("bytes=0-" + "9" * 5000, 100) == (0, 99)
    assert _parse_range("bytes=-" + "9" * 5000, 100) == (0, 99)
