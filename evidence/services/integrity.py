"""Integrity: decrypt a file and its working copies, compare with the intake hash, record the outcome."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from audit import actions
from audit.services import audit_record
from common.transactions import service
from evidence.models import CustodyEvent, EvidenceFile
from evidence.sealing import plaintext_sha256
from evidence.services.custody import SYSTEM, custody_record
from keys import ring
from keys.stream import EvidenceFormatError, TamperedError


@service
def evidence_integrity_result(*, actor, file_id, ok: bool, detail: str, sha256: str = "", system: str = SYSTEM) -> EvidenceFile:
    """Record the outcome of decrypting a file (sweep or a cut-off download). Audit: evidence.integrity.verified/failed."""
    file = EvidenceFile.objects.select_for_update().get(pk=file_id)
    file.integrity_ok, file.integrity_checked_at, file.integrity_detail = ok, timezone.now(), detail[:300]
    file.save(update_fields=["integrity_ok", "integrity_checked_at", "integrity_detail"])
    custody_record(
        actor=actor, file=file, action=CustodyEvent.Action.VERIFIED if ok else CustodyEvent.Action.INTEGRITY_FAILED,
        sha256=sha256, detail={"detail": detail[:300], "expected": file.sha256}, system=system,
    )
    audit_record(
        actor=actor, action=actions.EVIDENCE_INTEGRITY_VERIFIED if ok else actions.EVIDENCE_INTEGRITY_FAILED, target=file,
        case=file.case, data={"detail": detail[:300], "sha256": sha256}, system=system,
    )
    return file


def check_file(file) -> tuple[bool, str, str]:
    """(ok, detail, recomputed sha256) after decrypting the whole blob of an EvidenceFile or WorkingCopy."""
    try:
        digest = plaintext_sha256(file)
    except TamperedError as exc:
        return False, f"blob altered: {exc}", ""
    except EvidenceFormatError as exc:
        return False, f"blob malformed: {exc}", ""
    except ring.KeyUnavailable as exc:
        return False, f"key unavailable: {exc}", ""
    except FileNotFoundError:
        return False, "blob missing", ""
    if digest != file.sha256:
        return False, "SHA-256 differs from the intake hash", digest
    return True, "SHA-256 matches the intake hash", digest


def evidence_verify(*, file_id, actor=None) -> bool:
    """Decrypt a file and its working copies, compare hashes, record the result. Audit: evidence.integrity.*."""
    file = EvidenceFile.objects.filter(pk=file_id).exclude(state=EvidenceFile.State.DESTROYED).first()
    if file is None:
        return True
    ok, detail, digest = check_file(file)
    if ok:
        for wc in file.working_copies.filter(destroyed_at__isnull=True):
            copy_ok, copy_detail, _ = check_file(wc)
            if not copy_ok:
                ok, detail = False, f"working copy {wc.pk}: {copy_detail}"
                break
    evidence_integrity_result(actor=actor, file_id=file.pk, ok=ok, detail=detail, sha256=digest)
    return ok


def evidence_verify_all(*, actor=None, progress: Callable | None = None) -> list[EvidenceFile]:
    """Sweep every live file; returns those that failed."""
    ids = list(EvidenceFile.objects.exclude(state=EvidenceFile.State.DESTROYED).order_by("received_at").values_list("pk", flat=True))
    failed = []
    for number, file_id in enumerate(ids, 1):
        if not evidence_verify(file_id=file_id, actor=actor):
            failed.append(EvidenceFile.objects.get(pk=file_id))
        if progress:
            progress(number, len(ids), "evidence files verified")
    return failed
