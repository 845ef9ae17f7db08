"""Records of a file being sent to someone: viewed, downloaded, its custody history exported."""

from __future__ import annotations


from audit import actions
from audit.services import audit_record
from common.transactions import service
from evidence.models import CustodyEvent, EvidenceFile, WorkingCopy
from evidence.services.custody import custody_record


@service
def evidence_access_record(*, actor, file: EvidenceFile, action: str, copy: WorkingCopy | None = None, byte_range=None) -> None:
    """Record that a file (or its working copy) is being sent to someone. Caller holds the permission. Audit: evidence.file.viewed/downloaded."""
    custody_action = {"viewed": CustodyEvent.Action.VIEWED, "downloaded": CustodyEvent.Action.DOWNLOADED}[action]
    detail = {"copy": copy.kind if copy else "evidentiary"}
    if byte_range:
        detail["range"] = f"{byte_range[0]}-{byte_range[1]}"
    custody_record(actor=actor, file=file, action=custody_action, sha256=(copy or file).sha256, detail=detail, working_copy=copy)
    audit_action = actions.EVIDENCE_FILE_VIEWED if action == "viewed" else actions.EVIDENCE_FILE_DOWNLOADED
    audit_record(actor=actor, action=audit_action, target=file, case=file.case, data=detail)


@service
def evidence_custody_exported(*, actor, file: EvidenceFile, fmt: str) -> None:
    """Record an export of a file's custody history. Caller holds view_case. Audit: evidence.custody.exported."""
    custody_record(actor=actor, file=file, action=CustodyEvent.Action.EXPORTED, sha256=file.sha256, detail={"format": fmt})
    audit_record(actor=actor, action=actions.EVIDENCE_CUSTODY_EXPORTED, target=file, case=file.case, data={"format": fmt})
