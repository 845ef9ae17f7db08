"""Duplicates: a pair dismissed as different people, or two cases merged into one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.blind_index import person_index_update
from cases.closure import ClosureReason
from cases.models import Case, Consent, Contact, Event, Source
from common.transactions import service
from patterns.models import CaseMerge, DuplicateDismissal


@service
def duplicate_dismiss(*, actor, case_a: Case, case_b: Case) -> DuplicateDismissal:
    """Mark two cases as different people. Caller may view both. Audit: patterns.duplicate.dismissed."""
    first, second = sorted((case_a, case_b), key=lambda c: str(c.pk))
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        case_a=first, case_b=second, defaults={"dismissed_by": actor, "dismissed_at": timezone.now()}
    )
    audit_record(actor=actor, action=actions.DUPLICATE_DISMISSED, target=first, data={"other": second.reference})
    return dismissal


@service
def case_merge(*, actor, kept: Case, merged: Case) -> CaseMerge:
    """Merge two cases about one person; both histories kept. Caller holds change_case on both. Audit: patterns.case.merged.

    The timeline, sources, contacts and consents of `merged` move to `kept` (same rows, same ids, so
    their audit history still applies); the merged person's names join the kept person's aliases;
    `merged` is closed and stays readable, and a CaseMerge row lists what moved. Evidence files stay
    with the merged case.
    """
    if kept.pk == merged.pk:
        raise ValueError(_("A case cannot be merged into itself."))
    kept = Case.objects.select_for_update().select_related("person").get(pk=kept.pk)
    merged = Case.objects.select_for_update().select_related("person").get(pk=merged.pk)
    if CaseMerge.objects.filter(merged=merged).exists():
        raise ValueError(_("This case has already been merged into another."))
    moved = {
        "events": [str(pk) for pk in Event.objects.filter(case=merged).values_list("pk", flat=True)],
        "sources": [str(pk) for pk in Source.objects.filter(case=merged).values_list("pk", flat=True)],
        "contacts": [str(pk) for pk in Contact.objects.filter(case=merged).values_list("pk", flat=True)],
        "consents": [str(pk) for pk in Consent.objects.filter(case=merged).values_list("pk", flat=True)],
    }
    for model in (Event, Source, Contact, Consent):
        model.objects.filter(case=merged).update(case=kept)
    other = merged.person
    aliases = [a.strip() for a in (kept.person.aliases or "").split(",") if a.strip()]
    for name in (other.name_latin, other.name_cyrillic, *(other.aliases or "").split(",")):
        name = (name or "").strip()
        if name and name not in aliases and name not in (kept.person.name_latin, kept.person.name_cyrillic):
            aliases.append(name)
    kept.person.aliases = ", ".join(aliases)
    person_fields = ["aliases"]
    if not kept.person.birth_date and other.birth_date:
        kept.person.birth_date, kept.person.birth_date_precision = other.birth_date, other.birth_date_precision
        person_fields += ["birth_date", "birth_date_precision"]
    # Both cases change: a form opened on either before the merge is now stale (cases.services.StaleEdit).
    kept.person.version += 1
    kept.person.save(update_fields=[*person_fields, "version"])
    kept.updated_by = actor
    kept.version += 1
    kept.save(update_fields=["updated_by", "updated_at", "version"])
    merged.status, merged.closure_reason = Case.Status.CLOSED, ClosureReason.DUPLICATE
    merged.updated_by = actor
    merged.version += 1
    merged.save(update_fields=["status", "closure_reason", "updated_by", "updated_at", "version"])
    # The new aliases and the reporters that moved are searchable under the kept case only.
    person_index_update(person=kept.person)
    person_index_update(person=merged.person)
    merge = CaseMerge.objects.create(kept=kept, merged=merged, moved=moved, merged_by=actor, merged_at=timezone.now())
    audit_record(
        actor=actor, action=actions.CASE_MERGED, target=kept, fields=[f"person.{f}" for f in person_fields],
        data={"merged": merged.reference, **{k: len(v) for k, v in moved.items()}},
    )
    return merge


# --- Exports -----------------------------------------------------------------------------
