"""Destroying a case past retention: one transaction per case, with its audit events, or nothing at all.

What goes: every sealed value of the case and of everything hanging off it (overwritten with an empty sealed
value), the person's blind-index entries (a name could be confirmed by guessing against them), the data keys and
blobs of its evidence files (evidence_destroy: a crypto-shred), its built referral packages and its family
reports and tags. What stays: the rows as tombstones, the audit trail, and a CaseTombstone (reference, dates, who, why).
Everyone's grants on the case go, so no list, search or page reaches it; its tombstone shows instead.

Field keys are one per column (keys/aead.py), so a copy of a sealed value taken before destruction (a backup)
still opens until that backup expires; the evidence files' data keys are per file and are gone for good.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from audit import actions
from audit.services import audit_record
from cases.models import Case, PersonIndexEntry
from casework.models_tags import CaseTag
from common.transactions import user_action
from evidence.models import EvidenceFile
from evidence.services import evidence_destroy
from keys.fields import ProtectedMixin
from referrals.build import package_delete
from referrals.models import Referral
from retention import selectors
from retention.models import CaseTombstone
from retention.services import RetentionError, _reason

# How a row with sealed fields reaches its case, where it is not a foreign key named "case".
CASE_PATHS = {
    "cases.Case": "pk",
    "cases.Person": "case",
    "referrals.AssessmentItem": "assessment__case",
    "referrals.SupportLink": "item__assessment__case",
}


FILE_REASON = "The case was destroyed after its retention period."

# What remains of a destroyed case keeps its sealed reason: it is not content of the case.
KEPT = {"retention.CaseTombstone"}


def sealed_models() -> list[tuple[type, str, list]]:
    """(model, lookup to the case, its sealed fields) for every model of a case that holds sealed values.

    Legal holds and extensions are among them: why a case was held or kept may name a court, a proceeding or a
    person, so the words go with the case and the dates stay."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, ProtectedMixin)]
        if not fields or model._meta.label in KEPT:
            continue
        path = CASE_PATHS.get(model._meta.label)
        if path is None:
            case_fk = next((f for f in model._meta.concrete_fields if f.name == "case" and f.related_model is Case), None)
            path = "case" if case_fk is not None else None
        if path is not None:
            found.append((model, path, fields))
    return found


def _refuse_unless_destroyable(case: Case) -> None:
    if CaseTombstone.objects.filter(case=case).exists():
        raise RetentionError(_("This case was already destroyed."))
    if selectors.standing_hold(case) is not None:
        raise RetentionError(_("%(ref)s is under a legal hold.") % {"ref": case.reference})
    if selectors.implied_holds(case):
        raise RetentionError(_("%(ref)s has an open referral or proceedings: it is held.") % {"ref": case.reference})
    if not selectors.cases_due().filter(pk=case.pk).exists():
        raise RetentionError(_("%(ref)s is not past its retention period.") % {"ref": case.reference})


def _shred_sealed(case: Case) -> int:
    rows = 0
    for model, path, fields in sealed_models():
        for row in model.objects.filter(**{path: case.pk if path == "pk" else case}):
            for field in fields:
                setattr(row, field.attname, None if field.null else "")
            row.save(update_fields=[f.name for f in fields])
            rows += 1
    return rows


def _drop_list_matches(case: Case) -> None:
    """A match (proposed or decided) ties the person to a published list's entry, whose name stays readable: it
    would name the destroyed case's person again."""
    from patterns.models import MatchCandidate, MatchDecision

    MatchCandidate.objects.filter(person_id=case.person_id).delete()
    MatchDecision.objects.filter(person_id=case.person_id).delete()


def _drop_packages_and_reports(case: Case) -> None:
    for referral in Referral.objects.filter(case=case).exclude(package_name=""):
        name, referral.package_name = referral.package_name, ""
        referral.save(update_fields=["package_name"])
        transaction.on_commit(lambda name=name: package_delete(name))
    from intake.services import _destroy as intake_report_destroy

    for pk in case.family_reports.exclude(status="destroyed").values_list("pk", flat=True):
        intake_report_destroy(pk)


@sensitive_variables()
def case_destroy(*, actor, case: Case, reason: str, confirmation: str) -> CaseTombstone:
    """Admin only, the confirming person typing the case's reference. Audit: retention.case.destroyed (and
    evidence.file.destroyed per file), all in one transaction: a failure at any step leaves the case whole."""
    reason = _reason(reason)
    if (confirmation or "").strip().upper() != case.reference.upper():
        raise RetentionError(_("Type the case's reference to confirm: %(ref)s.") % {"ref": case.reference})
    with user_action():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _refuse_unless_destroyable(case)
        viewers, opened, changed = selectors.viewer_ids(case), case.created_at, case.updated_at
        files = EvidenceFile.objects.filter(case=case).exclude(state=EvidenceFile.State.DESTROYED)
        file_count = 0
        for file in files:
            # A file's reason is kept in plain text and in its audit event: the case's own words stay on the tombstone.
            evidence_destroy(actor=actor, file=file, reason=FILE_REASON)
            file_count += 1
        rows = _shred_sealed(case)
        PersonIndexEntry.objects.filter(person_id=case.person_id).delete()
        _drop_list_matches(case)
        CaseTag.objects.filter(case=case).delete()  # a tag can name a family or a unit: it goes with the content
        _drop_packages_and_reports(case)
        CaseUserObjectPermission.objects.filter(content_object=case).delete()
        CaseGroupObjectPermission.objects.filter(content_object=case).delete()
        tombstone = CaseTombstone.objects.create(
            case=case, reference=case.reference, status=case.status, opened_at=opened, last_changed_at=changed,
            destroyed_by=actor, reason=reason, viewer_ids=viewers,
        )
        # The reason is sealed on the tombstone; the audit trail names the field, not its words.
        audit_record(actor=actor, action=actions.RETENTION_CASE_DESTROYED, target=case, case=case, fields=["reason"],
                     data={"confirmed_by": actor.get_username(), "files": file_count, "rows": rows})
    return tombstone
