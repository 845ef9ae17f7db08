"""Destruction: crypto-shred a file and its working copies, keep a tombstone."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from audit import actions
from audit.services import audit_record
from common.transactions import service
from evidence import blobs
from evidence.models import CustodyEvent, EvidenceFile
from evidence.services.custody import EvidenceError, actor_user, custody_record

logger = logging.getLogger(__name__)


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
    file.destroyed_at, file.destroyed_by, file.destruction_reason = now, actor_user(actor), reason[:300]
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
