"""Upload and download through the views: streaming encryption, Range, no-store, tamper cut-off, access."""

import hashlib
import io
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from keys.stream import CIPHER_SEGMENT_SIZE, HEADER_SIZE, SEGMENT_SIZE
from evidence.models import EvidenceFile
from evidence.views import DownloadCutOff

from .helpers import attach, blob_path, plaintext


def _url(name, case, f=None, **kw):
    kwargs = {"reference": case.reference, **kw}
    if f is not None:
        kwargs["file_id"] = f.pk
    return reverse(f"evidence:{name}", kwargs=kwargs)


@pytest.fixture
def worker(client, cast, sign_in):
    return sign_in(client, cast.caseworker1)


def _blob_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def test_upload_streams_into_an_encrypted_blob(worker, cast, _media_root, django_capture_on_commit_callbacks):
    content = secrets.token_bytes(3 * 1024 * 1024 + 5)  # bigger than Django's in-memory threshold
    upload = SimpleUploadedFile("Interview 3 May.m4a", content, content_type="audio/mp4")
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(_url("upload", cast.case), {"file": upload, "source_label": "brother, in person"})
    f = EvidenceFile.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", cast.case, f)
    assert f.original_name == "Interview 3 May.m4a" and f.size == len(content) and f.claimed_type == "audio/mp4"
    assert f.sha256 == hashlib.sha256(content).hexdigest() and f.source_label == "brother, in person"
    files = _blob_files(_media_root)
    assert files == [blob_path(f)] and content[:64] not in files[0].read_bytes()
    assert plaintext(f) == content
    page = worker.get(_url("detail", cast.case, f))
    assert page.status_code == 200 and f.sha256 in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    case_page = worker.get(reverse("cases:detail", kwargs={"reference": cast.case.reference}))
    assert "Interview 3 May.m4a" in case_page.content.decode()


def test_upload_makes_no_temporary_file(worker, cast, settings, tmp_path):
    spill = tmp_path / "tmp-uploads"
    spill.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spill)
    worker.post(_url("upload", cast.case), {"file": SimpleUploadedFile("big.bin", secrets.token_bytes(4 * 1024 * 1024))})
    assert EvidenceFile.objects.count() == 1 and list(spill.iterdir()) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({"file": SimpleUploadedFile("empty.txt", b"")}, "empty"),
        ({}, "Choose a file"),
        ({"file": SimpleUploadedFile("big.bin", b"x" * 200_001)}, "larger than the limit"),
    ],
)
def test_bad_uploads_are_400_and_leave_nothing(worker, cast, settings, _media_root, data, message):
    settings.DALIL_EVIDENCE_MAX_BYTES = 200_000
    response = worker.post(_url("upload", cast.case), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not EvidenceFile.objects.exists() and _blob_files(_media_root) == []
    assert not AuditEvent.objects.filter(action="evidence.file.received").exists()


def test_an_upload_cut_off_midway_leaves_nothing(worker, cast, _media_root):
    boundary = "XbOuNdArY"
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + secrets.token_bytes(300_000)  # the client went away: no closing boundary
    response = worker.generic(
        "POST", _url("upload", cast.case), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400 and "interrupted" in response.content.decode()
    assert not EvidenceFile.objects.exists() and _blob_files(_media_root) == []


def test_a_form_error_discards_the_encrypted_upload(worker, cast, _media_root):
    response = worker.post(_url("upload", cast.case), {"file": SimpleUploadedFile("a.txt", b"abc"), "event": "not-an-id"})
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists() and _blob_files(_media_root) == []


def test_upload_needs_csrf(cast, sign_in, _media_root):
    from django.test import Client

    client = sign_in(Client(enforce_csrf_checks=True), cast.caseworker1)
    response = client.post(_url("upload", cast.case), {"file": SimpleUploadedFile("a.txt", b"abc")})
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists() and _blob_files(_media_root) == []


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_streams_plaintext_with_no_store(worker, cast):
    content = secrets.token_bytes(2 * SEGMENT_SIZE + 99)
    f = attach(cast, content, name="contract scan.pdf")
    response = worker.get(_url("download", cast.case, f))
    assert response.status_code == 200 and response.streaming
    assert _body(response) == content
    assert response["Content-Length"] == str(len(content)) and response["Accept-Ranges"] == "bytes"
    assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache"
    assert response["Content-Disposition"].startswith("attachment")
    assert f.custody_events.filter(action="downloaded", actor=cast.caseworker1).exists()
    assert AuditEvent.objects.filter(action="evidence.file.downloaded", target_id=str(f.pk)).exists()


@pytest.mark.parametrize(
    "header, start, end",
    [("bytes=0-9", 0, 9), ("bytes=70000-70009", 70000, 70009), ("bytes=131000-", 131000, None), ("bytes=-10", -10, None)],
)
def test_range_requests(worker, cast, header, start, end):
    content = secrets.token_bytes(2 * SEGMENT_SIZE + 99)
    f = attach(cast, content)
    response = worker.get(_url("download", cast.case, f), HTTP_RANGE=header)
    expected = content[start : (end + 1 if end is not None else None)]
    assert response.status_code == 206 and _body(response) == expected
    first = start if start >= 0 else len(content) + start
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(content)}"
    assert response["Content-Length"] == str(len(expected))


def test_unsatisfiable_range_is_416(worker, cast):
    f = attach(cast, b"0123456789")
    response = worker.get(_url("download", cast.case, f), HTTP_RANGE="bytes=50-60")
    assert response.status_code == 416 and response["Content-Range"] == "bytes */10"


def test_a_bad_segment_cuts_the_download_off_and_is_shown(worker, cast):
    content = secrets.token_bytes(3 * SEGMENT_SIZE)
    f = attach(cast, content)
    path = blob_path(f)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 2 * CIPHER_SEGMENT_SIZE + 7] ^= 1
    path.write_bytes(bytes(data))
    response = worker.get(_url("download", cast.case, f))
    received = []
    with pytest.raises(DownloadCutOff):
        for chunk in response.streaming_content:
            received.append(chunk)
    assert b"".join(received) == content[: 2 * SEGMENT_SIZE]  # verified segments only, short of Content-Length
    f.refresh_from_db()
    assert f.integrity_ok is False and "segment 2" in f.integrity_detail
    assert AuditEvent.objects.filter(action="evidence.integrity.failed", target_id=str(f.pk)).exists()
    page = worker.get(_url("detail", cast.case, f)).content.decode()
    assert "Integrity failure" in page and "segment 2" in page


def test_a_bad_first_segment_sends_nothing(worker, cast):
    f = attach(cast, secrets.token_bytes(1000))
    path = blob_path(f)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 3] ^= 1
    path.write_bytes(bytes(data))
    response = worker.get(_url("download", cast.case, f))
    assert response.status_code == 500 and not response.streaming
    f.refresh_from_db()
    assert f.integrity_ok is False


def test_outsiders_get_404_everywhere(client, cast, sign_in):
    f = attach(cast, b"testimony")
    for user in (cast.outsider, cast.caseworker2):
        sign_in(client, user)
        for name in ("detail", "download", "progress"):
            assert client.get(_url(name, cast.case, f)).status_code == 404, (user, name)
        assert client.get(_url("custody_export", cast.case, f, fmt="csv")).status_code == 404
        assert client.get(_url("upload", cast.case)).status_code == 404
        assert client.post(_url("upload", cast.case), {"file": SimpleUploadedFile("x.txt", b"x")}).status_code == 404
        assert client.post(_url("destroy", cast.case, f), {"reason": "x", "confirm": "on"}).status_code == 404
        # The outsider's own case does not open another case's file either.
        assert client.get(_url("detail", cast.other_case, f)).status_code == 404
    assert EvidenceFile.objects.count() == 1 and not EvidenceFile.objects.filter(state="destroyed").exists()


def test_anonymous_is_sent_to_sign_in(client, cast):
    f = attach(cast, b"testimony")
    response = client.get(_url("download", cast.case, f))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_legal_user_may_download_but_not_upload(client, cast, sign_in):
    f = attach(cast, b"shared testimony")
    sign_in(client, cast.legal1)
    assert _body(client.get(_url("download", cast.case, f))) == b"shared testimony"
    assert client.get(_url("upload", cast.case)).status_code == 404


def test_custody_export_csv_and_json(worker, cast):
    f = attach(cast, b"exported")
    worker.get(_url("download", cast.case, f))
    as_json = worker.get(_url("custody_export", cast.case, f, fmt="json")).json()
    assert as_json["file"]["sha256_at_intake"] == f.sha256
    assert [e["action"] for e in as_json["custody"]][:2] == ["received", "hashed"]
    assert "downloaded" in [e["action"] for e in as_json["custody"]]
    csv_text = worker.get(_url("custody_export", cast.case, f, fmt="csv")).content.decode()
    assert f.sha256 in csv_text and "downloaded" in csv_text and "exported" in csv_text
    assert worker.get(_url("custody_export", cast.case, f, fmt="xml")).status_code == 404


def test_destroy_view(worker, cast, django_capture_on_commit_callbacks):
    f = attach(cast, b"to be destroyed")
    assert worker.post(_url("destroy", cast.case, f), {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(_url("destroy", cast.case, f), {"reason": "Consent withdrawn", "confirm": "on"})
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.state == "destroyed" and not blob_path(f).exists()
    assert worker.get(_url("download", cast.case, f)).status_code == 410
    page = worker.get(_url("detail", cast.case, f)).content.decode()
    assert f.sha256 in page and "Consent withdrawn" in page


def test_progress_json(worker, cast):
    f = attach(cast, b"processing")
    data = worker.get(_url("progress", cast.case, f)).json()
    assert data["state"] == "processing" and data["progress"] == 10


def test_the_global_upload_handler_keeps_other_uploads_off_disk(settings):
    from django.test import RequestFactory

    settings.DALIL_UPLOAD_MEMORY_MAX_BYTES = 1000
    request = RequestFactory().post("/x/", {"f": io.BytesIO(b"y" * 2000)})
    from django.core.exceptions import RequestDataTooBig

    with pytest.raises(RequestDataTooBig):
        request.FILES  # noqa: B018
    small = RequestFactory().post("/x/", {"f": SimpleUploadedFile("s.txt", b"y" * 500)})
    assert small.FILES["f"].read() == b"y" * 500


def test_a_second_submit_of_one_upload_form_makes_one_file(worker, cast, _media_root):
    from tests.cases.test_once import token_of

    token = token_of(worker.get(_url("upload", cast.case)))
    content = secrets.token_bytes(5000)

    def send(data=content, name="call.m4a", form_token=token):
        return worker.post(_url("upload", cast.case), {"file": SimpleUploadedFile(name, data), "source_label": "sister", "form_token": form_token})

    first = send()
    again = send()
    f = EvidenceFile.objects.get()
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"] == _url("detail", cast.case, f)
    # The second copy was encrypted as it arrived, and is removed again: one blob, one audit event.
    assert _blob_files(_media_root) == [blob_path(f)]
    assert AuditEvent.objects.filter(action="evidence.file.received").count() == 1
    # A different file sent with the same words is another submission.
    assert send(data=secrets.token_bytes(5000), form_token=token_of(worker.get(_url("upload", cast.case)))).status_code == 302
    assert EvidenceFile.objects.count() == 2
