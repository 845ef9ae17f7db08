"""Every write to evidence, one module per job: intake, processing, access records, integrity, re-wrapping, destruction.

Each public service is one durable transaction with one audit event and the custody event(s) it implies. Callers
import from here; the modules below are the split by subject.
"""

from evidence.services.access import evidence_access_record, evidence_custody_exported
from evidence.services.custody import SYSTEM, EvidenceError, custody_record, max_bytes
from evidence.services.destruction import evidence_destroy
from evidence.services.integrity import check_file, evidence_integrity_result, evidence_verify, evidence_verify_all
from evidence.services.intake import evidence_attach
from evidence.services.processing import evidence_process
from evidence.services.rewrap import evidence_rewrap_all, evidence_rewrapper

__all__ = [
    "SYSTEM", "EvidenceError", "check_file", "custody_record", "evidence_access_record", "evidence_attach",
    "evidence_custody_exported", "evidence_destroy", "evidence_integrity_result", "evidence_process",
    "evidence_rewrap_all", "evidence_rewrapper", "evidence_verify", "evidence_verify_all", "max_bytes",
]
