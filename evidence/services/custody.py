"""What every evidence service shares: its error, the size limit, and the custody record it appends."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evidence.models import CustodyEvent, EvidenceFile

SYSTEM = "evidence"


class EvidenceError(ValueError):
    """Bad input for evidence: the message is safe to show to the user."""


def max_bytes() -> int:
    return settings.DALIL_EVIDENCE_MAX_BYTES


def actor_label(actor, system: str = SYSTEM) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return f"system:{system}"


def actor_user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def custody_record(
    *, actor, file: EvidenceFile, action: str, sha256: str = "", detail: dict | None = None, working_copy=None, system: str = SYSTEM
) -> CustodyEvent:
    """Append a custody event inside the caller's transaction (other apps: e.g. action="referred" while packaging)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("custody_record must run inside the transaction of the change it records")
    return CustodyEvent.objects.create(
        file=file, working_copy=working_copy, at=timezone.now(), actor=actor_user(actor), actor_label=actor_label(actor, system),
        action=action, sha256=sha256, detail=detail or {},
    )
