"""Writes of the patterns app, one module per subject: match decisions, duplicates and merges, exports (lists:
patterns/list_imports.py).

Public services are keyword-only and run in one durable transaction with one audit event. The caller
has resolved every case through cases.selectors (so it holds the permission named in the docstring).
Names are never written to the audit log or to a task message: tasks get ids.
"""

from patterns.services.exports import RESEARCH_FIELDS, pseudonym, research_export, stats_export
from patterns.services.matches import match_confirm, match_reject, person_records
from patterns.services.merges import case_merge, duplicate_dismiss

__all__ = [
    "RESEARCH_FIELDS", "case_merge", "duplicate_dismiss", "match_confirm", "match_reject", "person_records", "pseudonym",
    "research_export", "stats_export",
]
