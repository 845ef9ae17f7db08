"""Background processing of a received file: its type from the content, a working copy, ready or failed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from audit import actions
from audit.services import audit_record
from common.transactions import service
from evidence.models import CustodyEvent, EvidenceFile, WorkingCopy
from evidence.sealing import plaintext_chunks
from evidence.services.custody import SYSTEM, custody_record
from keys import ring
from keys.stream import EvidenceFormatError, TamperedError


def _set_progress(file: EvidenceFile, progress: int, note: str) -> None:
    # Progress is a display hint, not a change to the evidence: no audit event of its own.
    file.progress, file.progress_note = progress, note
    EvidenceFile.objects.filter(pk=file.pk).update(progress=progress, progress_note=note)


def _sniff(file: EvidenceFile) -> tuple[str, str]:
    import filetype

    first = next(iter(plaintext_chunks(file)), b"")
    kind = filetype.guess(first[:8192])
    if kind is not None:
        return kind.mime, kind.extension
    try:
        first[:8192].decode("utf-8")
        return "text/plain", "txt"
    except UnicodeDecodeError:
        return "application/octet-stream", ""


def evidence_process(*, file_id) -> EvidenceFile | None:
    """Identify the type, make a working copy, mark ready. Run by the worker. Audit: evidence.file.processed."""
    from evidence.copies import PREVIEWABLE, make_preview

    file = EvidenceFile.objects.filter(pk=file_id).first()
    if file is None or file.state != EvidenceFile.State.PROCESSING:
        return file  # gone, destroyed, or already processed: nothing to do
    try:
        _set_progress(file, 30, "Identifying the type from the content.")
        mime, ext = _sniff(file)
        copy_sealed = copy_note = None
        if mime in PREVIEWABLE and file.size <= settings.DALIL_EVIDENCE_PREVIEW_MAX_BYTES:
            _set_progress(file, 60, "Making a working copy without location metadata.")
            made = make_preview(file, mime)
            if made is not None:
                copy_sealed, copy_mime, copy_note = made
        _set_progress(file, 90, "Recording.")
        return _mark_processed(file_id=file.pk, mime=mime, ext=ext, copy=copy_sealed and (copy_sealed, copy_mime, copy_note))
    except (TamperedError, EvidenceFormatError, ring.KeyUnavailable, FileNotFoundError) as exc:
        _mark_failed(file_id=file.pk, reason=f"{type(exc).__name__}: {exc}")
        return EvidenceFile.objects.get(pk=file.pk)


@service
def _mark_processed(*, file_id, mime: str, ext: str, copy) -> EvidenceFile:
    file = EvidenceFile.objects.select_for_update().get(pk=file_id)
    if file.state != EvidenceFile.State.PROCESSING:
        if copy:
            transaction.on_commit(copy[0].discard)
        return file
    file.sniffed_type, file.sniffed_extension = mime, ext
    file.state, file.progress, file.progress_note = EvidenceFile.State.READY, 100, ""
    file.save(update_fields=["sniffed_type", "sniffed_extension", "state", "progress", "progress_note"])
    custody_record(actor=None, file=file, action=CustodyEvent.Action.PROCESSED, sha256=file.sha256, detail={"type": mime})
    if copy:
        sealed, copy_mime, note = copy
        wc = WorkingCopy(**sealed.record_fields(), original=file, media_type=copy_mime, note=note)
        wc.save(force_insert=True)
        custody_record(
            actor=None, file=file, working_copy=wc, action=CustodyEvent.Action.COPY_MADE, sha256=wc.sha256,
            detail={"kind": wc.kind, "type": copy_mime, "note": note, "size": wc.size},
        )
    audit_record(
        actor=None, action=actions.EVIDENCE_FILE_PROCESSED, target=file, case=file.case, fields=["sniffed_type", "state"],
        data={"type": mime, "working_copy": bool(copy)}, system=SYSTEM,
    )
    if copy:
        audit_record(
            actor=None, action=actions.EVIDENCE_COPY_MADE, target=file, case=file.case,
            data={"kind": wc.kind, "type": copy_mime, "sha256": wc.sha256, "size": wc.size}, system=SYSTEM,
        )
    return file


@service
def _mark_failed(*, file_id, reason: str) -> None:
    file = EvidenceFile.objects.select_for_update().get(pk=file_id)
    file.state, file.progress_note = EvidenceFile.State.FAILED, reason[:200]
    file.save(update_fields=["state", "progress_note"])
    audit_record(
        actor=None, action=actions.EVIDENCE_FILE_PROCESSING_FAILED, target=file, case=file.case, data={"reason": reason[:200]},
        system=SYSTEM,
    )
