"""Item 6: a small XLSX that inflates without limit is refused before anything is inflated or parsed.

The attacker uploads real crafted bombs (valid zips, true CRCs: zipfile would inflate them) through the
upload form: refused with a clear message, nothing stored, and the request's memory stays flat. A file
that declares or holds more rows than the limit fails with its own message; reading happens in the task.
"""

import io
import tracemalloc

import pytest
from django.urls import reverse

from patterns import list_imports, lists
from patterns.models import ListUpload
from tests.security import bombs
from tests.security.fixtures_hardening import keyring  # noqa: F401

MB = 1024 * 1024


@pytest.fixture
def source_list(cast):
    return list_imports.source_list_create(actor=cast.caseworker1, data={"title": "A list"})


def _post(client, source_list, content, name="list.xlsx"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("patterns:list_detail", kwargs={"list_id": source_list.pk}), {"file": f})


@pytest.mark.parametrize("inflated, message", [(1024 * MB, "unpacks to more than"), (50 * MB, "decompression bomb")])
def test_a_bomb_is_refused_before_parsing_with_flat_memory(client, cast, sign_in, source_list, inflated, message):
    bomb = bombs.bomb(inflated)
    assert len(bomb) < inflated / 200  # it is one: a few MB that inflate to 50 MB or 1 GB
    sign_in(client, cast.caseworker1)
    tracemalloc.start()
    try:
        response = _post(client, source_list, bomb)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ListUpload.objects.exists()
    # The request holds the upload a few times over, never the inflated sheet.
    assert peak < len(bomb) * 6 + 20 * MB, f"peak {peak / MB:.0f} MB for a {len(bomb) / MB:.1f} MB upload"


def test_the_task_refuses_a_bomb_stored_before_the_limits(cast, source_list, settings):
    """An upload stored under laxer limits (or an older version) is checked again before the parser opens it."""
    settings.DALIL_LIST_MAX_UNPACKED_BYTES = 10**12
    upload = ListUpload(source_list=source_list, filename="old.xlsx", sha256="0" * 64, created_by=cast.caseworker1)
    upload.content = bombs.bomb(50 * MB)
    upload.save()
    settings.DALIL_LIST_MAX_UNPACKED_BYTES = 100 * MB
    upload = list_imports.list_read(upload_id=upload.pk)
    assert upload.status == ListUpload.Status.FAILED and "decompression bomb" in upload.failure


def test_a_sheet_declaring_too_many_rows_is_refused_before_parsing(client, cast, sign_in, source_list, settings):
    sign_in(client, cast.caseworker1)
    response = _post(client, source_list, bombs.declaring(10_000_000))
    assert response.status_code == 400 and "rows, the limit for one file" in response.content.decode()
    settings.DALIL_LIST_MAX_ROWS = 50
    assert _post(client, source_list, bombs.with_rows(60)).status_code == 400  # openpyxl's own dimension: A1:B61
    assert not ListUpload.objects.exists()


@pytest.mark.parametrize("name, content", [("list.xlsx", bombs.without_dimension(bombs.with_rows(60))), ("list.csv", ("name\n" + "Person A\n" * 60).encode())])
def test_more_rows_than_the_limit_fail_in_the_task_with_a_message(client, cast, sign_in, source_list, settings, django_capture_on_commit_callbacks, name, content):
    settings.DALIL_LIST_MAX_ROWS = 50
    sign_in(client, cast.caseworker1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, source_list, content, name)
    assert response.status_code == 302  # nothing declares the rows: they are counted while the task reads
    upload = ListUpload.objects.get()
    assert upload.status == ListUpload.Status.FAILED and "more than 50 rows" in upload.failure
    page = client.get(response["Location"]).content.decode()
    assert "more than 50 rows" in page and "Which column holds what?" not in page


def test_a_genuine_workbook_still_imports(cast, source_list):
    lists.check_xlsx(bombs.with_rows(2000))
    header, body = lists.read_rows("l.xlsx", bombs.with_rows(2000))
    assert header == ["Full name", "DOB"] and len(body) == 2000


def test_reading_happens_in_the_task_not_the_request(client, cast, sign_in, source_list):
    sign_in(client, cast.caseworker1)
    response = _post(client, source_list, bombs.with_rows(3))  # on-commit callbacks not run: no task
    upload = ListUpload.objects.get()
    assert response.status_code == 302 and upload.status == ListUpload.Status.READING and upload.columns == []
    assert upload.content[:2] == b"PK"
    page = client.get(response["Location"]).content.decode()
    assert "Reading the file in the background" in page and "Which column holds what?" not in page


def test_a_binary_file_posing_as_csv_is_refused_at_once(client, cast, sign_in, source_list):
    sign_in(client, cast.caseworker1)
    response = _post(client, source_list, b"\x00\x01binary\x00" * 100, "list.csv")
    assert response.status_code == 400 and "neither CSV text nor an XLSX workbook" in response.content.decode()
    assert not ListUpload.objects.exists()
