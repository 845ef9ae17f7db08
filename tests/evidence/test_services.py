"""Intake, processing, custody, rotation, crypto-shredding and the integrity sweep, on the real database."""

import hashlib
import io
import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from evidence import blobs, services
from keys import ring
from keys.keyfile import key_line
from keys.purposes import KEK
from keys.rotation import register_rewrapper, unregister_rewrapper
from keys.stream import HEADER_SIZE, SEGMENT_SIZE, TamperedError
from evidence.models import EvidenceFile, WorkingCopy
from evidence.sealing import plaintext_chunks

from .helpers import attach, blob_path, plaintext


def test_attach_encrypts_records_and_audits(cast, django_capture_on_commit_callbacks):
    content = secrets.token_bytes(3 * SEGMENT_SIZE + 17)
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(cast, content, name="call-recording.ogg", source_label="sister, by messenger")
    f.refresh_from_db()
    assert f.sha256 == hashlib.sha256(content).hexdigest() and f.size == len(content)
    assert f.kek_id == "test-1" and f.received_by == cast.caseworker1 and f.method == "upload"
    raw = blob_path(f).read_bytes()
    assert raw[:4] == b"DLEV" and content[:32] not in raw
    assert plaintext(f) == content
    assert f.state == EvidenceFile.State.READY and f.progress == 100
    actions = list(f.custody_events.values_list("action", flat=True))
    assert actions[:3] == ["received", "hashed", "processed"]
    assert all(e.sha256 == f.sha256 for e in f.custody_events.all())
    audit = AuditEvent.objects.get(action="evidence.file.received", target_id=str(f.pk))
    assert audit.case_ref == cast.case.reference and audit.data["sha256"] == f.sha256
    assert "call-recording" not in str(audit.data)


@pytest.mark.parametrize("content", [b"", io.BytesIO(b"")])
def test_empty_file_leaves_nothing(cast, content, _media_root):
    with pytest.raises(services.EvidenceError, match="empty"):
        attach(cast, content)
    assert not EvidenceFile.objects.exists() and not AuditEvent.objects.filter(action__startswith="evidence").exists()
    assert not [p for p in _media_root.rglob("*") if p.is_file()]


def test_over_the_limit_leaves_nothing(cast, settings, _media_root):
    settings.DALIL_EVIDENCE_MAX_BYTES = 100_000
    with pytest.raises(services.EvidenceError, match="limit"):
        attach(cast, (secrets.token_bytes(50_000) for _ in range(3)))
    assert not EvidenceFile.objects.exists()
    assert not [p for p in _media_root.rglob("*") if p.is_file()]


def test_event_of_another_case_is_refused(cast, _media_root):
    from cases.services import event_add

    other_event = event_add(actor=cast.outsider, case=cast.other_case, data={"type": "detention"})
    with pytest.raises(services.EvidenceError):
        attach(cast, b"data", event=other_event)
    assert not EvidenceFile.objects.exists() and not [p for p in _media_root.rglob("*") if p.is_file()]


def test_wrong_or_missing_key(cast, settings):
    f = attach(cast, b"testimony " * 1000)
    settings.DALIL_KEK = key_line(KEK, "test-2", secrets.token_bytes(32))
    with pytest.raises(ring.KeyUnavailable, match="not configured"):
        plaintext(f)
    settings.DALIL_KEK = key_line(KEK, "test-1", secrets.token_bytes(32))
    with pytest.raises(ring.KeyUnavailable, match="does not open"):
        plaintext(f)
    ok, detail, _ = services.check_file(f)
    assert not ok and "key unavailable" in detail


def test_wrapped_key_moved_to_another_record_does_not_open(cast):
    a = attach(cast, b"first file")
    b = attach(cast, b"second file")
    b.kek_id, b.wrapped_key = a.kek_id, a.wrapped_key
    with pytest.raises(ring.KeyUnavailable):
        plaintext(b)


def test_rotation_rewraps_without_touching_content(cast, settings):
    files = [attach(cast, secrets.token_bytes(1000 + n)) for n in range(3)]
    before = {f.pk: blob_path(f).read_bytes() for f in files}
    settings.DALIL_KEK = settings.DALIL_KEK + "," + key_line(KEK, "test-2", secrets.token_bytes(32))
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "evidence keys re-wrapped: 3/3" in out.getvalue() and "under test-2" in out.getvalue()
    for f in files:
        f.refresh_from_db()
        assert f.kek_id == "test-2"
        assert blob_path(f).read_bytes() == before[f.pk]  # content untouched
        assert hashlib.sha256(plaintext(f)).hexdigest() == f.sha256
        assert f.custody_events.filter(action="rewrapped", detail__to="test-2").count() == 1
    assert AuditEvent.objects.filter(action="evidence.key.rewrapped").count() == 3
    # Idempotent: a second run finds nothing to do.
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "evidence keys re-wrapped" not in out.getvalue()
    assert AuditEvent.objects.filter(action="evidence.key.rewrapped").count() == 3
    # The old key can now go: everything opens with the new one alone.
    settings.DALIL_KEK = settings.DALIL_KEK.split(",")[1]
    assert all(hashlib.sha256(plaintext(f)).hexdigest() == f.sha256 for f in files)


def test_rotation_resumes_after_an_interruption(cast, settings):
    files = [attach(cast, secrets.token_bytes(100)) for _ in range(4)]
    settings.DALIL_KEK = settings.DALIL_KEK + "," + key_line(KEK, "test-2", secrets.token_bytes(32))
    calls = []

    def stop_after_two(done, total, label):
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.evidence_rewrap_all(progress=stop_after_two)
    assert EvidenceFile.objects.filter(kek_id="test-2").count() == 2
    assert services.evidence_rewrap_all() == 2
    assert EvidenceFile.objects.filter(kek_id="test-2").count() == 4
    assert all(plaintext(EvidenceFile.objects.get(pk=f.pk)) for f in files)


def test_rotation_calls_registered_rewrappers(cast, settings):
    seen = []

    def fields_rewrapper(*, progress):
        seen.append(ring.current_kek_id())
        progress(1, 1, "fields")
        return 7

    register_rewrapper(fields_rewrapper)
    try:
        from keys.tasks import rotate_keys_task

        report = rotate_keys_task.delay().get()
    finally:
        unregister_rewrapper(fields_rewrapper)
    assert seen == ["test-1"]
    assert any(v == 7 for v in report["rewrapped"].values())


def test_crypto_shredding(cast, django_capture_on_commit_callbacks, _media_root):
    content = b"\xff\xd8\xff" + secrets.token_bytes(5000)
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(cast, content)
    path = blob_path(f)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_destroy(actor=cast.caseworker1, file=f, reason="Consent withdrawn")
    f.refresh_from_db()
    assert f.wrapped_key is None and f.state == "destroyed" and f.destroyed_by == cast.caseworker1
    assert f.sha256 == hashlib.sha256(content).hexdigest()  # the tombstone keeps the hash
    assert not path.exists() and not [p for p in _media_root.rglob("*") if p.is_file()]
    assert not WorkingCopy.objects.filter(wrapped_key__isnull=False).exists()
    assert f.custody_events.filter(action="destroyed", actor=cast.caseworker1).exists()
    assert AuditEvent.objects.filter(action="evidence.file.destroyed", target_id=str(f.pk)).exists()
    with pytest.raises(ring.KeyUnavailable):
        plaintext(f)
    with pytest.raises(services.EvidenceError):
        services.evidence_destroy(actor=cast.caseworker1, file=f, reason="again")


def _flip(f, offset):
    path = blob_path(f)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x80
    path.write_bytes(bytes(data))


def test_verify_evidence_command(cast):
    good = attach(cast, secrets.token_bytes(2 * SEGMENT_SIZE))
    bad = attach(cast, secrets.token_bytes(2 * SEGMENT_SIZE))
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "2 evidence file(s) verified" in out.getvalue()
    _flip(bad, HEADER_SIZE + SEGMENT_SIZE + 100)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("verify_evidence", stdout=io.StringIO(), stderr=err)
    assert str(bad.pk) in err.getvalue()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.integrity_ok is False and "segment 1" in bad.integrity_detail and good.integrity_ok is True
    assert bad.custody_events.filter(action="integrity_failed").exists()
    assert AuditEvent.objects.filter(action="evidence.integrity.failed", target_id=str(bad.pk)).exists()
    assert AuditEvent.objects.filter(action="evidence.integrity.verified", target_id=str(good.pk)).exists()


def test_verify_notices_a_missing_blob(cast):
    f = attach(cast, b"short file")
    blobs.delete(f.blob_name)
    assert services.evidence_verify(file_id=f.pk) is False
    f.refresh_from_db()
    assert f.integrity_detail == "blob missing"


def test_verify_task_reports_failures(cast):
    from evidence.tasks import verify_evidence_task

    f = attach(cast, secrets.token_bytes(1000))
    _flip(f, HEADER_SIZE + 10)
    assert verify_evidence_task.delay().get() == {"failed": [str(f.pk)]}


def test_plaintext_chunks_is_flat_and_verified(cast):
    f = attach(cast, secrets.token_bytes(3 * SEGMENT_SIZE))
    sizes = [len(c) for c in plaintext_chunks(f)]
    assert sizes == [SEGMENT_SIZE] * 3
    _flip(f, HEADER_SIZE + 2 * (SEGMENT_SIZE + 16) + 5)
    got = []
    with pytest.raises(TamperedError):
        for chunk in plaintext_chunks(f):
            got.append(chunk)
    assert len(got) == 2  # nothing from the bad segment was released
