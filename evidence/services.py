"""Every write to evidence: intake, processing, access records, verification, re-wrapping, destruction.

Each public service is one durable transaction with one audit event and the
custody event(s) it implies. Encryption happens before the transaction (a
blob is written, then the row that points to it); any failure removes the
blob again, so there is never a record without a blob nor a blob nobody owns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import actions
from audit.services import audit_record
from common.transactions import on_rollback, service
from evidence import blobs
from evidence.models import CustodyEvent, EvidenceFile, WorkingCopy
from evidence.sealing import SealedBlob, TooLarge, plaintext_chunks, plaintext_sha256, read_chunks, record_context, seal
from keys import ring
from keys.stream import EvidenceFormatError, TamperedError

logger = logging.getLogger(__name__)

SYSTEM = "evidence"


class EvidenceError(ValueError):
    """Bad input for evidence: the message is safe to show to the user."""


def max_bytes() -> int:
    return settings.DALIL_EVIDENCE_MAX_BYTES


def _label(actor, system: str = SYSTEM) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return f"system:{system}"


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def custody_record(
    *, actor, file: EvidenceFile, action: str, sha256: str = "", detail: dict | None = None, working_copy=None, system: str = SYSTEM
) -> CustodyEvent:
    """Append a custody event inside the caller's transaction (other apps: e.g. action="referred" while packaging)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("custody_record must run inside the transaction of the change it records")
    return CustodyEvent.objects.create(
        file=file, working_copy=working_copy, at=timezone.now(), actor=_user(actor), actor_label=_label(actor, system),
        action=action, sha256=sha256, detail=detail or {},
    )


# --- intake -------------------------------------------------------------------


def _as_chunks(content) -> Iterable[bytes]:
    if isinstance(content, (bytes, bytearray, memoryview)):
        return [bytes(content)]
    if hasattr(content, "read"):
        return read_chunks(content)
    return content


@sensitive_variables("content")
def evidence_attach(
    *,
    actor,
    case,
    content,
    original_name: str,
    source_label: str = "",
    source=None,
    event=None,
    description: str = "",
    method: str = EvidenceFile.Method.UPLOAD,
    claimed_type: str = "",
    system: str = SYSTEM,
) -> EvidenceFile:
    """Encrypt and record a received file. Caller holds change_case on `case`. Audit: evidence.file.received.

    `content` is bytes, a binary file object, an iterable of chunks, or a SealedBlob
    that an upload handler already encrypted. Empty or oversized content raises
    EvidenceError and leaves nothing behind.
    """
    if event is not None and event.case_id != case.pk:
        raise EvidenceError("That event belongs to another case.")
    if source is not None and source.case_id != case.pk:
        raise EvidenceError("That source belongs to another case.")
    original_name = (original_name or "").strip()[:255] or "unnamed"
    if isinstance(content, SealedBlob):
        sealed = content
    else:
        try:
            sealed = seal(_as_chunks(content), max_bytes=max_bytes())
        except TooLarge:
            raise EvidenceError(f"The file is larger than the limit of {max_bytes()} bytes.") from None
    try:
        if sealed.size == 0:
            raise EvidenceError("The file is empty.")
        if sealed.size > max_bytes():
            raise EvidenceError(f"The file is larger than the limit of {max_bytes()} bytes.")
        record = _receive(
            actor=actor, case=case, sealed=sealed, original_name=original_name, source_label=source_label, source=source,
            event=event, description=description, method=method, claimed_type=claimed_type, system=system,
        )
    except BaseException:
        sealed.discard()
        raise
    on_rollback(sealed.discard)  # inside a larger user action that fails later, the blob goes too
    _queue_processing(record.pk)
    return record


@service
def _receive(*, actor, case, sealed: SealedBlob, original_name, source_label, source, event, description, method, claimed_type, system):
    now = timezone.now()
    record = EvidenceFile(
        **sealed.record_fields(), case=case, event=event, source=source, source_label=(source_label or "").strip()[:500],
        description=description or "", original_name=original_name, received_at=now, received_by=_user(actor),
        received_by_label=_label(actor, system), method=method, claimed_type=(claimed_type or "")[:120],
        state=EvidenceFile.State.PROCESSING, progress=10, progress_note="Encrypted and stored; waiting for processing.",
    )
    record.full_clean(exclude=["wrapped_key"])
    record.save(force_insert=True)
    detail = {"method": method, "size": sealed.size, "kek_id": sealed.kek_id, "format_version": sealed.format_version}
    custody_record(actor=actor, file=record, action=CustodyEvent.Action.RECEIVED, sha256=sealed.sha256, detail=detail, system=system)
    hashed = {"algorithm": "SHA-256", "over": "plaintext at intake"}
    custody_record(actor=actor, file=record, action=CustodyEvent.Action.HASHED, sha256=sealed.sha256, detail=hashed, system=system)
    # One signed event per custody step: a referral package proves each (docs/referrals.md).
    audit_record(
        actor=actor, action=actions.EVIDENCE_FILE_RECEIVED, target=record, case=case,
        fields=["original_name", "source_label", "description", "event", "source"],
        data={"sha256": sealed.sha256, "size": sealed.size, "method": method}, system=system,
    )
    audit_record(
        actor=actor, action=actions.EVIDENCE_FILE_HASHED, target=record, case=case, data={**hashed, "sha256": sealed.sha256},
        system=system,
    )
    return record


def _queue_processing(file_id) -> None:
    from evidence.tasks import evidence_process_task

    transaction.on_commit(lambda: evidence_process_task.delay(str(file_id)))


# --- background processing -----------------------------------------------------


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


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def _mark_failed(*, file_id, reason: str) -> None:
    file = EvidenceFile.objects.select_for_update().get(pk=file_id)
    file.state, file.progress_note = EvidenceFile.State.FAILED, reason[:200]
    file.save(update_fields=["state", "progress_note"])
    audit_record(
        actor=None, action=actions.EVIDENCE_FILE_PROCESSING_FAILED, target=file, case=file.case, data={"reason": reason[:200]},
        system=SYSTEM,
    )


# --- access -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def evidence_access_record(*, actor, file: EvidenceFile, action: str, copy: WorkingCopy | None = None, byte_range=None) -> None:
    """Record that a file (or its working copy) is being sent to someone. Caller holds the permission. Audit: evidence.file.viewed/downloaded."""
    custody_action = {"viewed": CustodyEvent.Action.VIEWED, "downloaded": CustodyEvent.Action.DOWNLOADED}[action]
    detail = {"copy": copy.kind if copy else "evidentiary"}
    if byte_range:
        detail["range"] = f"{byte_range[0]}-{byte_range[1]}"
    custody_record(actor=actor, file=file, action=custody_action, sha256=(copy or file).sha256, detail=detail, working_copy=copy)
    audit_action = actions.EVIDENCE_FILE_VIEWED if action == "viewed" else actions.EVIDENCE_FILE_DOWNLOADED
    audit_record(actor=actor, action=audit_action, target=file, case=file.case, data=detail)


@transaction.atomic(durable=True)
def evidence_custody_exported(*, actor, file: EvidenceFile, fmt: str) -> None:
    """Record an export of a file's custody history. Caller holds view_case. Audit: evidence.custody.exported."""
    custody_record(actor=actor, file=file, action=CustodyEvent.Action.EXPORTED, sha256=file.sha256, detail={"format": fmt})
    audit_record(actor=actor, action=actions.EVIDENCE_CUSTODY_EXPORTED, target=file, case=file.case, data={"format": fmt})


# --- integrity ------------------------------------------------------------------------


@transaction.atomic(durable=True)
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
    for n, file_id in enumerate(ids, 1):
        if not evidence_verify(file_id=file_id, actor=actor):
            failed.append(EvidenceFile.objects.get(pk=file_id))
        if progress:
            progress(n, len(ids), "evidence files verified")
    return failed


# --- key rotation ----------------------------------------------------------------------


@transaction.atomic(durable=True)
def _rewrap_one(*, model, pk, actor, current: str) -> bool:
    obj = model.objects.select_for_update().filter(pk=pk).first()
    if obj is None or not obj.wrapped_key or obj.kek_id == current:
        return False  # gone, destroyed, or done by an earlier (interrupted) run
    old = obj.kek_id
    context = record_context(obj._meta.label_lower, obj.pk)
    obj.kek_id, wrapped = ring.rewrap(old, bytes(obj.wrapped_key), context=context)
    obj.wrapped_key = wrapped
    obj.save(update_fields=["kek_id", "wrapped_key"])
    file = obj if isinstance(obj, EvidenceFile) else obj.original
    custody_record(
        actor=actor, file=file, working_copy=None if obj is file else obj, action=CustodyEvent.Action.REWRAPPED,
        sha256=obj.sha256, detail={"from": old, "to": obj.kek_id},
    )
    audit_record(
        actor=actor, action=actions.EVIDENCE_KEY_REWRAPPED, target=obj, case=file.case, fields=["kek_id", "wrapped_key"],
        data={"from": old, "to": obj.kek_id}, system=SYSTEM,
    )
    return True


def evidence_rewrap_all(*, actor=None, progress: Callable | None = None) -> int:
    """Re-wrap every data key not under the newest KEK; one row per transaction, so an interrupted run resumes."""
    current = ring.current_kek_id()
    todo = []
    for model in (EvidenceFile, WorkingCopy):
        todo += [(model, pk) for pk in model.objects.filter(wrapped_key__isnull=False).exclude(kek_id=current).values_list("pk", flat=True)]
    done = 0
    for n, (model, pk) in enumerate(todo, 1):
        done += _rewrap_one(model=model, pk=pk, actor=actor, current=current)
        if progress:
            progress(n, len(todo), "evidence keys re-wrapped")
    return done


def evidence_rewrapper(*, progress) -> int:
    """The rotate_keys re-wrapper of evidence data keys (registered in EvidenceConfig.ready)."""
    return evidence_rewrap_all(progress=progress)


# --- destruction -------------------------------------------------------------------


@service  # durable on its own; part of a case's destruction inside user_action() (retention/)
def evidence_destroy(*, actor, file: EvidenceFile, reason: str) -> EvidenceFile:
    """Crypto-shred a file and its working copies: wrapped keys erased, blobs deleted, a tombstone kept.

    Caller holds change_case. Audit: evidence.file.destroyed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceError("Give a reason for destroying the file.")
    file = EvidenceFile.objects.select_for_update().get(pk=file.pk)
    if file.state == EvidenceFile.State.DESTROYED:
        raise EvidenceError("This file was already destroyed.")
    names = [file.blob_name]
    now = timezone.now()
    for wc in file.working_copies.select_for_update().filter(destroyed_at__isnull=True):
        names.append(wc.blob_name)
        wc.wrapped_key, wc.destroyed_at = None, now
        wc.save(update_fields=["wrapped_key", "destroyed_at"])
    file.wrapped_key = None
    file.state, file.progress_note = EvidenceFile.State.DESTROYED, ""
    file.destroyed_at, file.destroyed_by, file.destruction_reason = now, _user(actor), reason[:300]
    file.save(update_fields=["wrapped_key", "state", "progress_note", "destroyed_at", "destroyed_by", "destruction_reason"])
    custody_record(
        actor=actor, file=file, action=CustodyEvent.Action.DESTROYED, sha256=file.sha256,
        detail={"reason": reason[:300], "copies": len(names) - 1},
    )
    audit_record(
        actor=actor, action=actions.EVIDENCE_FILE_DESTROYED, target=file, case=file.case,
        fields=["wrapped_key", "state"], data={"sha256": file.sha256, "reason": reason[:300]},
    )

    # Without its wrapped key a blob is noise; it is removed after commit so a rollback keeps it readable.
    def _remove_blobs():
        for name in names:
            try:
                blobs.delete(name)
            except Exception:  # noqa: BLE001 - the key is already gone; the sweep reports leftovers
                logger.warning("evidence blob %s could not be deleted after destruction", name)

    transaction.on_commit(_remove_blobs)
    return file
