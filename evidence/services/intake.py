"""Intake: encrypt a received file, record it, queue its processing.

Encryption happens before the transaction (a blob is written, then the row that points to it); any failure removes
the blob again, so there is never a record without a blob nor a blob nobody owns.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import actions
from audit.services import audit_record
from common.transactions import on_rollback, service
from evidence.models import CustodyEvent, EvidenceFile
from evidence.sealing import NewBlob, TooLarge, read_chunks, seal
from evidence.services.custody import SYSTEM, EvidenceError, actor_label, actor_user, custody_record, max_bytes


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

    `content` is bytes, a binary file object, an iterable of chunks, or a NewBlob
    that an upload handler already encrypted. Empty or oversized content raises
    EvidenceError and leaves nothing behind.
    """
    if event is not None and event.case_id != case.pk:
        raise EvidenceError("That event belongs to another case.")
    if source is not None and source.case_id != case.pk:
        raise EvidenceError("That source belongs to another case.")
    original_name = (original_name or "").strip()[:255] or "unnamed"
    if isinstance(content, NewBlob):
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
def _receive(*, actor, case, sealed: NewBlob, original_name, source_label, source, event, description, method, claimed_type, system):
    now = timezone.now()
    record = EvidenceFile(
        **sealed.record_fields(), case=case, event=event, source=source, source_label=(source_label or "").strip()[:500],
        description=description or "", original_name=original_name, received_at=now, received_by=actor_user(actor),
        received_by_label=actor_label(actor, system), method=method, claimed_type=(claimed_type or "")[:120],
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
