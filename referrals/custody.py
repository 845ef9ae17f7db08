"""Referral steps in each exhibit's chain of custody, and custody entries with their audit events.

The evidence app keeps one CustodyEvent row per step in a file's life; the audit log
keeps the signed record of the same actions. A referral's build, download and state
changes add a custody row to every exhibit (through evidence.services.custody_record)
naming the audit event that records the step, so the manifest can prove each entry.
"""

from audit.selectors import custody_event_ids

SYSTEM = "referrals"


def record(*, referral, audit_event, actor, what: str) -> None:
    """Inside the caller's transaction: one custody row per exhibit of `referral` for step `what`."""
    from evidence.models import CustodyEvent, EvidenceFile
    from evidence.services import custody_record

    if not referral.evidence_file_ids:
        return
    files = EvidenceFile.objects.filter(pk__in=referral.evidence_file_ids, case=referral.case)
    for evidence_file in files:
        custody_record(
            actor=actor,
            file=evidence_file,
            action=CustodyEvent.Action.DOWNLOADED if what == "downloaded" else CustodyEvent.Action.REFERRED,
            sha256=evidence_file.sha256,
            detail={"referral": str(referral.pk), "step": what, "audit_event": audit_event.pk},
            system=SYSTEM,
        )


def event_ids(file) -> list[int]:
    """The ids of the signed audit events that make up a file's custody, in log order: the events on the
    file itself (one per custody step) and the referral steps its custody rows name (each names the file)."""
    from evidence.models import CustodyEvent, EvidenceFile

    named = [
        int(d["audit_event"])
        for d in CustodyEvent.objects.filter(file=file, action__in=[CustodyEvent.Action.REFERRED, CustodyEvent.Action.DOWNLOADED])
        .values_list("detail", flat=True)
        if isinstance(d, dict) and d.get("audit_event") is not None
    ]
    return custody_event_ids(target_type=EvidenceFile._meta.label_lower, target_id=str(file.pk), named=named)
