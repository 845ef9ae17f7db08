"""Legal's assessment of a case: items (elements and indicators), supporting links, the conclusion."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.models import Case, Event, Source
from cases.services import refuse_if_stale
from common.transactions import service
from referrals.models import ITEM_CHOICES, PALERMO_ELEMENTS, Assessment, AssessmentItem, Strength, SupportLink

_CODES = {code for code, _label in ITEM_CHOICES}


# --- assessment ----------------------------------------------------------


def _assessment(case: Case, actor) -> Assessment:
    assessment, created = Assessment.objects.select_for_update().get_or_create(
        case=case, defaults={"created_by": actor, "updated_by": actor}
    )
    if not created:
        assessment.updated_by = actor
        assessment.save(update_fields=["updated_by", "updated_at"])
    return assessment


def _item(assessment: Assessment, code: str) -> AssessmentItem:
    if code not in _CODES:
        raise ValidationError({"code": _("Unknown element or indicator.")})
    item, _created = AssessmentItem.objects.get_or_create(assessment=assessment, code=code)
    return item


@service
def assessment_item_save(
    *, actor, case: Case, code: str, options: Iterable[str] = (), note: str = "", version: int | None = None
) -> AssessmentItem:
    """Record which forms of an element were found, and a note; refused (StaleEdit) when the item is no longer at
    `version` (0: it did not exist yet). Caller holds prepare_referral. Audit: assessment.item.saved."""
    assessment = _assessment(case, actor)
    existing = AssessmentItem.objects.select_for_update().filter(assessment=assessment, code=code).first()
    item = existing or _item(assessment, code)
    options = list(dict.fromkeys(options))
    kind, short = code.split(":", 1)
    allowed = {o for o, _l in PALERMO_ELEMENTS[short][1]} if kind == "element" else set()
    if any(o not in allowed for o in options):
        raise ValidationError({"options": _("Choose only forms listed for this element.")})
    changed = [name for name, value in (("options", options), ("note", note)) if getattr(item, name) != value]
    refuse_if_stale(item, version, changed, stored=existing.version if existing else 0)
    item.options, item.note = options, note
    item.full_clean()
    if changed and existing:
        item.version += 1
    item.save()
    audit_record(actor=actor, action=actions.ASSESSMENT_ITEM_SAVED, target=item.assessment, case=case, fields=changed, data={"code": code})
    return item


@service
def assessment_link_add(
    *,
    actor,
    case: Case,
    code: str,
    strength: str,
    note: str = "",
    event: Event | None = None,
    source: Source | None = None,
    evidence_file=None,
) -> SupportLink:
    """Link an event, source or evidence file of the case as support. Caller holds prepare_referral. Audit: assessment.link.added."""
    targets = [t for t in (event, source, evidence_file) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("Choose one event, source or evidence file."))
    if any(t.case_id != case.pk for t in targets):
        raise ValidationError(_("Only the case's own events, sources and files can support its assessment."))
    if strength not in Strength.values:
        raise ValidationError({"strength": _("Choose a strength.")})
    item = _item(_assessment(case, actor), code)
    link = SupportLink(
        item=item, event=event, source=source, evidence_file_id=evidence_file.pk if evidence_file is not None else None,
        strength=strength, note=note, created_by=actor,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=actor, action=actions.ASSESSMENT_LINK_ADDED, target=item.assessment, case=case,
        fields=["links"], data={"code": code, "link": str(link.pk), "kind": link.target_kind, "strength": strength},
    )
    return link


@service
def assessment_link_remove(*, actor, case: Case, link: SupportLink) -> None:
    """Remove a supporting link. Caller holds prepare_referral. Audit: assessment.link.removed."""
    link = SupportLink.objects.select_related("item__assessment").get(pk=link.pk, item__assessment__case=case)
    assessment, code = link.item.assessment, link.item.code
    link.delete()
    audit_record(actor=actor, action=actions.ASSESSMENT_LINK_REMOVED, target=assessment, case=case, fields=["links"], data={"code": code})


@service
def assessment_conclusion_save(*, actor, case: Case, conclusion: str, version: int | None = None) -> Assessment:
    """Save legal's overall conclusion; refused (StaleEdit) when it is no longer at `version` (0: no assessment yet).
    Caller holds prepare_referral. Audit: assessment.conclusion.saved."""
    existed = Assessment.objects.filter(case=case).exists()
    assessment = _assessment(case, actor)
    changed = ["conclusion"] if assessment.conclusion != conclusion else []
    refuse_if_stale(assessment, version, changed, stored=assessment.version if existed else 0)
    assessment.conclusion = conclusion
    if changed and existed:
        assessment.version += 1
    assessment.save(update_fields=["conclusion", "version"])
    audit_record(actor=actor, action=actions.ASSESSMENT_CONCLUSION_SAVED, target=assessment, case=case, fields=["conclusion"])
    return assessment
