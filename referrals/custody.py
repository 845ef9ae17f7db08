"""Referral steps in each exhibit's chain of custody, and custody entries with their audit events.

The evidence app keeps one CustodyEvent row per step in a file's life; the audit log
keeps the signed record of the same actions. A referral's build, download and state
changes add a custody row to every exhibit (through evidence.services.custody_record)
naming the audit event that records the step, so the manifest can prove each entry.
"""

from audit.models import AuditEvent

SYSTEM = "referrals"


def record(*, referral, audit_event, actor, what: str) -> None:
    """Inside the caller's transaction: one custody row per exhibit of `referral` for step `what`."""
    from evidence.models import CustodyEvent, EvidenceFile
    from evidence.services import custody_record

    if not referral.evidence_file_ids:
        return
    files = EvidenceFile.objects.filter(pk__in=referral.evidence_file_ids, case=referral.case)
    for f in files:
        custody_record(
            actor=actor,
            file=f,
            action=CustodyEvent.Action.DOWNLOADED if what == "downloaded" else CustodyEvent.Action.REFERRED,
            sha256=f.sha256,
            detail={"referral": str(referral.pk), "step": what, "audit_event": audit_event.pk},
            system=SYSTEM,
        )


def history_with_audit_events(file) -> list[tuple]:
    """A file's custody entries, oldest first, each with the id of the audit event that records it.

    Referral steps name their event. The evidence app writes its custody rows and then its audit
    event (targeting the file) in one transaction, so an entry's event is the first event on the
    file at or after the entry's time.
    """
    from evidence.models import CustodyEvent, EvidenceFile

    entries = list(CustodyEvent.objects.filter(file=file).order_by("at", "id"))
    events = list(
        AuditEvent.objects.filter(target_type=EvidenceFile._meta.label_lower, target_id=str(file.pk)).order_by("seq").values_list("pk", "at")
    )
    out = []
    for entry in entries:
        named = (entry.detail or {}).get("audit_event")
        if named is not None:
            out.append((entry, int(named)))
            continue
        match = next((pk for pk, at in events if at >= entry.at), None)
        out.append((entry, match))
    return out
