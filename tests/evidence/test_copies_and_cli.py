"""Working copies without location metadata, bulk intake from the command line, flat memory, KMS-wrapped files."""

import hashlib
import io
import secrets
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keys.stream import SEGMENT_SIZE
from evidence.models import EvidenceFile
from evidence.sealing import plaintext_chunks, seal

from .helpers import attach, plaintext


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2024:05:03 10:00:00"
    gps = {1: "N", 2: (55.0, 45.0, 20.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_image_working_copy_has_no_location(cast, django_capture_on_commit_callbacks):
    from PIL import Image

    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the original does carry GPS
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(cast, original, name="injury.jpg")
    f.refresh_from_db()
    assert f.state == "ready" and f.sniffed_type == "image/jpeg"
    copy = f.preview
    assert copy is not None and copy.media_type == "image/jpeg" and copy.kek_id
    preview = plaintext(copy)
    img = Image.open(io.BytesIO(preview))
    assert not img.getexif() and not img.getexif().get_ifd(0x8825) and "exif" not in img.info
    assert b"PhoneMaker" not in preview
    assert plaintext(f) == original  # the evidentiary copy is untouched
    assert f.custody_events.filter(action="copy_made", working_copy=copy).exists()


def test_pdf_working_copy_drops_metadata(cast, django_capture_on_commit_callbacks):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Officer Ivanov", "/Title": "Contract", "/GPS": "55.75,37.61"})
    buf = io.BytesIO()
    writer.write(buf)
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(cast, buf.getvalue(), name="contract.pdf")
    f.refresh_from_db()
    assert f.sniffed_type == "application/pdf"
    preview = plaintext(f.preview)
    assert b"Officer Ivanov" not in preview and b"55.75" not in preview
    assert len(PdfReader(io.BytesIO(preview)).pages) == 1


def test_unpreviewable_content_is_ready_without_copy(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(cast, b"just text from a chat export\n" * 100, name="chat.txt", claimed_type="image/png")
    f.refresh_from_db()
    assert f.state == "ready" and f.sniffed_type == "text/plain" and f.preview is None


def test_add_evidence_command(cast, tmp_path):
    folder = tmp_path / "intake"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"first")
    (folder / "sub" / "b.bin").write_bytes(secrets.token_bytes(SEGMENT_SIZE + 3))
    out = io.StringIO()
    call_command("add_evidence", "--case", cast.case.reference, "--source", "USB stick from the family", str(folder), stdout=out)
    assert "2 file(s) added" in out.getvalue()
    files = sorted(EvidenceFile.objects.all(), key=lambda f: f.original_name)  # sealed column: sort after reading
    assert [f.original_name for f in files] == ["a.txt", "b.bin"]
    assert all(f.method == "cli" and f.source_label == "USB stick from the family" for f in files)
    assert files[0].received_by is None and files[0].received_by_label == "system:add_evidence"
    assert plaintext(files[0]) == b"first"


@pytest.mark.parametrize(
    "args, message",
    [(["--case", "DAL-1999-9999"], "No case"), (["--case", "{ref}", "{missing}"], "no such file"), (["--case", "{ref}", "{empty}"], "empty")],
)
def test_add_evidence_bad_input(cast, tmp_path, args, message):
    (tmp_path / "empty.txt").write_bytes(b"")
    fmt = {"ref": cast.case.reference, "missing": str(tmp_path / "nope"), "empty": str(tmp_path / "empty.txt")}
    argv = [a.format(**fmt) for a in args] + ["--source", "x"]
    if len(args) == 2:
        argv.append(str(tmp_path))
    with pytest.raises(CommandError, match=message):
        call_command("add_evidence", *argv, stdout=io.StringIO())
    assert not EvidenceFile.objects.exists()


def test_streaming_memory_stays_flat(settings):
    """~48 MiB through encryption and decryption: Python's peak allocation stays a few segments."""
    size = 48 * 1024 * 1024
    piece = secrets.token_bytes(1024 * 1024)

    def source():
        for _ in range(size // len(piece)):
            yield piece

    tracemalloc.start()
    try:
        sealed = seal(source())
        _, enc_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()

        class Record:
            pk, kek_id, wrapped_key, blob_name = sealed.id, sealed.kek_id, sealed.wrapped_key, sealed.blob_name
            size = sealed.size

            class _meta:
                label_lower = "evidence.evidencefile"

        digest = hashlib.sha256()
        for chunk in plaintext_chunks(Record):
            digest.update(chunk)
        _, dec_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sealed.size == size and digest.hexdigest() == sealed.sha256
    assert enc_peak < 6 * 1024 * 1024, enc_peak
    assert dec_peak < 4 * 1024 * 1024, dec_peak


def test_files_wrapped_by_kms(cast, kms_key, django_capture_on_commit_callbacks):
    content = secrets.token_bytes(SEGMENT_SIZE * 2 + 1)
    f = attach(cast, content)
    assert f.kek_id.startswith("kms:arn:") and f.kek_id.endswith(kms_key)
    assert plaintext(f) == content
