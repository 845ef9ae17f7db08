"""Key rotation: re-wrap every evidence data key under the newest KEK, one row per transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from audit import actions
from audit.services import audit_record
from common.transactions import service
from evidence.models import CustodyEvent, EvidenceFile, WorkingCopy
from evidence.sealing import record_context
from evidence.services.custody import SYSTEM, custody_record
from keys import ring


@service
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
    for number, (model, pk) in enumerate(todo, 1):
        done += _rewrap_one(model=model, pk=pk, actor=actor, current=current)
        if progress:
            progress(number, len(todo), "evidence keys re-wrapped")
    return done


def evidence_rewrapper(*, progress) -> int:
    """The rotate_keys re-wrapper of evidence data keys (registered in EvidenceConfig.ready)."""
    return evidence_rewrap_all(progress=progress)
