"""Every write of the referrals app: assessments, review requests, referrals and their states.

Each public service is keyword-only, runs in one durable transaction and writes one
audit event in it. The caller resolved the case through a selector with the right
permission (prepare_referral for legal work, view_case for a review request).
The build itself lives in referrals.build (it runs in a Celery worker).
"""

import base64
import secrets
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.models import Case, Contact, Event, Source
from cases.services import refuse_if_stale
from keys import ring
from keys.purposes import REFERRAL_PASSPHRASE, key_context

from referrals import consent as consent_rules
from referrals import custody, evidence_api
from referrals.models import (
    ITEM_CHOICES,
    PALERMO_ELEMENTS,
    Assessment,
    AssessmentItem,
    Referral,
    ReviewRequest,
    Strength,
    SupportLink,
)

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


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def assessment_link_remove(*, actor, case: Case, link: SupportLink) -> None:
    """Remove a supporting link. Caller holds prepare_referral. Audit: assessment.link.removed."""
    link = SupportLink.objects.select_related("item__assessment").get(pk=link.pk, item__assessment__case=case)
    assessment, code = link.item.assessment, link.item.code
    link.delete()
    audit_record(actor=actor, action=actions.ASSESSMENT_LINK_REMOVED, target=assessment, case=case, fields=["links"], data={"code": code})


@transaction.atomic(durable=True)
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


# --- review requests -----------------------------------------------------


def review_request(*, actor, case: Case, note: str = "", legal_user=None) -> ReviewRequest:
    """A caseworker asks legal to review the case: share it with legal (one named legal user, or all legal staff)
    through cases.access, then record the request. Caller holds change_case. Audit: access.grant.added, review.requested."""
    from cases.access import REASON_REFERRAL, AccessError, case_share_with_legal

    try:
        # Its own durable transaction (and audit event): the grant stands even if recording the request failed.
        case_share_with_legal(actor=actor, case=case, user=legal_user, reason=REASON_REFERRAL)
    except AccessError as exc:
        raise ValidationError(str(exc)) from None
    return _review_request_record(actor=actor, case=case, note=note, legal_user=legal_user)


@transaction.atomic(durable=True)
def _review_request_record(*, actor, case: Case, note: str, legal_user) -> ReviewRequest:
    request = ReviewRequest.objects.create(case=case, note=note, requested_by=actor)
    audit_record(
        actor=actor, action=actions.REVIEW_REQUESTED, target=case, fields=["review_requests"],
        data={"review_request": str(request.pk), "shared_with": legal_user.get_username() if legal_user else "legal"},
    )
    return request


# --- referrals -----------------------------------------------------------

_DRAFT_FIELDS = (
    "recipient_name",
    "recipient_kind",
    "recipient_age_key",
    "purpose",
    "person_redaction",
    "family_redaction",
    "sources_redaction",
    "pseudonym",
    "include_assessment",
)


def _check_selection(*, actor, case: Case, recipient_kind: str, events, contacts, files) -> None:
    """Consent is enforced here, whatever the form allowed: refuse anything it does not cover."""
    errors = {}
    if events or contacts or files:
        decision = consent_rules.case_decision(actor, case=case, recipient_kind=recipient_kind)
        if not decision.allowed:
            raise ValidationError({"__all__": [decision.reason]})
    for contact in contacts:
        if contact.case_id != case.pk:
            errors.setdefault("contacts", []).append(_("A contact of another case cannot be included."))
        elif reason := consent_rules.contact_refusal(contact):
            errors.setdefault("contacts", []).append(f"{contact.get_relationship_display()}: {reason}")
    for event in events:
        if event.case_id != case.pk:
            errors.setdefault("events", []).append(_("An event of another case cannot be included."))
    for f in files:
        if f.case_id != case.pk:
            errors.setdefault("files", []).append(_("A file of another case cannot be included."))
        elif reason := consent_rules.file_refusal(f):
            errors.setdefault("files", []).append(reason)
    if errors:
        raise ValidationError(errors)


def _discard_package(referral: Referral) -> None:
    from referrals.build import package_delete

    if referral.package_name:
        transaction.on_commit(lambda name=referral.package_name: package_delete(name))
    referral.package_name = referral.package_sha256 = ""
    referral.package_size = None
    referral.passphrase_kek_id = ""
    referral.passphrase_wrapped = None
    referral.build_status = Referral.BuildStatus.IDLE
    referral.build_id = None
    referral.build_progress = 0
    referral.build_step = referral.build_error = ""


@transaction.atomic(durable=True)
def referral_create(
    *, actor, case: Case, data: dict, events: Iterable[Event] = (), contacts: Iterable[Contact] = (), files: Iterable = ()
) -> Referral:
    """Start a draft referral for a named recipient. Caller holds prepare_referral. Audit: referral.created."""
    events, contacts, files = list(events), list(contacts), list(files)
    referral = Referral(case=case, created_by=actor, **{k: v for k, v in data.items() if k in _DRAFT_FIELDS})
    referral.full_clean()
    _check_selection(actor=actor, case=case, recipient_kind=referral.recipient_kind, events=events, contacts=contacts, files=files)
    referral.evidence_file_ids = [str(f.pk) for f in files]
    referral.save()
    referral.events.set(events)
    referral.contacts.set(contacts)
    audit_record(
        actor=actor, action=actions.REFERRAL_CREATED, target=referral, case=case, fields=sorted(data),
        data={"recipient_kind": referral.recipient_kind, "events": len(events), "contacts": len(contacts), "files": len(files)},
    )
    return referral


@transaction.atomic(durable=True)
def referral_update(
    *, actor, referral: Referral, data: dict, events: Iterable[Event], contacts: Iterable[Contact], files: Iterable
) -> list[str]:
    """Change a draft (a built one goes back to draft). Caller holds prepare_referral. Audit: referral.updated."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_editable:
        raise ValidationError(_("A referral that is being built, or has been sent, cannot be changed."))
    events, contacts, files = list(events), list(contacts), list(files)
    changed = []
    for name in _DRAFT_FIELDS:
        if name in data and getattr(referral, name) != data[name]:
            setattr(referral, name, data[name])
            changed.append(name)
    referral.full_clean()
    _check_selection(actor=actor, case=referral.case, recipient_kind=referral.recipient_kind, events=events, contacts=contacts, files=files)
    file_ids = [str(f.pk) for f in files]
    if file_ids != referral.evidence_file_ids:
        referral.evidence_file_ids = file_ids
        changed.append("evidence_file_ids")
    if {e.pk for e in events} != set(referral.events.values_list("pk", flat=True)):
        referral.events.set(events)
        changed.append("events")
    if {c.pk for c in contacts} != set(referral.contacts.values_list("pk", flat=True)):
        referral.contacts.set(contacts)
        changed.append("contacts")
    if changed and referral.status == Referral.Status.BUILT:
        # The package no longer matches what the referral says: it must be built again.
        referral.status = Referral.Status.DRAFT
        _discard_package(referral)
        changed.append("status")
    referral.save()
    audit_record(actor=actor, action=actions.REFERRAL_UPDATED, target=referral, case=referral.case, fields=changed)
    return changed


def _new_passphrase_seed() -> bytes:
    return secrets.token_bytes(32)


def passphrase_from_seed(seed: bytes) -> str:
    """A 160-bit passphrase in groups a person can read out and type: 'ABCD-EFGH-…'."""
    text = base64.b32encode(seed[:20]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _passphrase_context(referral: Referral, build_id) -> bytes:
    return key_context(REFERRAL_PASSPHRASE, referral.pk, build_id)


@transaction.atomic(durable=True)
def referral_build_request(*, actor, referral: Referral) -> Referral:
    """Queue a build of the package. Caller holds prepare_referral. Audit: referral.build.requested."""
    from referrals.tasks import referral_build_task

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (Referral.Status.DRAFT, Referral.Status.BUILT):
        raise ValidationError(_("Only a draft or built referral can be built."))
    if referral.build_status in (Referral.BuildStatus.QUEUED, Referral.BuildStatus.RUNNING) and not build_is_stale(referral):
        raise ValidationError(_("This referral is already being built."))
    files = [evidence_api.file_get_for(actor, case=referral.case, file_id=fid) for fid in referral.evidence_file_ids]
    _check_selection(
        actor=actor, case=referral.case, recipient_kind=referral.recipient_kind,
        events=list(referral.events.all()), contacts=list(referral.contacts.all()), files=files,
    )
    if referral.status == Referral.Status.BUILT:
        referral.status = Referral.Status.DRAFT
    _discard_package(referral)
    build_id = uuid.uuid4()
    kek_id, wrapped = ring.wrap(_new_passphrase_seed(), context=_passphrase_context(referral, build_id))
    referral.build_id = build_id
    referral.build_status = Referral.BuildStatus.QUEUED
    referral.build_attempts = 0
    referral.build_requested_by = actor
    referral.build_requested_at = referral.build_heartbeat_at = timezone.now()
    referral.passphrase_kek_id, referral.passphrase_wrapped = kek_id, wrapped
    referral.save()
    audit_record(
        actor=actor, action=actions.REFERRAL_BUILD_REQUESTED, target=referral, case=referral.case,
        fields=["build_id", "build_status"], data={"build_id": str(build_id)},
    )
    transaction.on_commit(lambda: referral_build_task.delay(str(referral.pk), str(build_id)))
    return referral


def build_is_stale(referral: Referral) -> bool:
    """A queued or running build with no heartbeat for a while: its worker died; it may be retried."""
    from django.conf import settings

    if referral.build_status not in (Referral.BuildStatus.QUEUED, Referral.BuildStatus.RUNNING):
        return False
    last = referral.build_heartbeat_at or referral.build_requested_at
    return last is None or (timezone.now() - last).total_seconds() > settings.DALIL_REFERRAL_BUILD_STALE_SECONDS


@transaction.atomic(durable=True)
def referral_build_retry(*, actor, referral: Referral) -> Referral:
    """Queue the same build again after a failure or a dead worker. Caller holds prepare_referral. Audit: referral.build.requested."""
    from referrals.tasks import referral_build_task

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    retryable = referral.build_status == Referral.BuildStatus.FAILED or build_is_stale(referral)
    if not retryable or referral.build_id is None or referral.passphrase_wrapped is None:
        raise ValidationError(_("There is no failed or stalled build to retry."))
    referral.build_status = Referral.BuildStatus.QUEUED
    referral.build_heartbeat_at = timezone.now()
    referral.build_error = ""
    referral.save(update_fields=["build_status", "build_heartbeat_at", "build_error", "updated_at"])
    build_id = referral.build_id
    audit_record(
        actor=actor, action=actions.REFERRAL_BUILD_REQUESTED, target=referral, case=referral.case,
        fields=["build_status"], data={"build_id": str(build_id), "retry": True},
    )
    transaction.on_commit(lambda: referral_build_task.delay(str(referral.pk), str(build_id)))
    return referral


def passphrase_for_build(referral: Referral) -> str:
    """Unwrap the package passphrase (used by the build, and by the one-time reveal)."""
    seed = ring.unwrap(referral.passphrase_kek_id, bytes(referral.passphrase_wrapped), context=_passphrase_context(referral, referral.build_id))
    return passphrase_from_seed(seed)


@transaction.atomic(durable=True)
def referral_passphrase_reveal(*, actor, referral: Referral) -> str:
    """Show the package passphrase once, then erase it. Caller holds prepare_referral. Audit: referral.passphrase.shown."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.build_status != Referral.BuildStatus.DONE or referral.passphrase_wrapped is None:
        raise ValidationError(_("The passphrase has already been shown, or the package is not built yet."))
    passphrase = passphrase_for_build(referral)
    referral.passphrase_kek_id = ""
    referral.passphrase_wrapped = None
    referral.save(update_fields=["passphrase_kek_id", "passphrase_wrapped", "updated_at"])
    audit_record(actor=actor, action=actions.REFERRAL_PASSPHRASE_SHOWN, target=referral, case=referral.case, fields=["passphrase_wrapped"])
    return passphrase


@transaction.atomic(durable=True)
def referral_download(*, actor, referral: Referral):
    """Record a download of the encrypted package and return it open. Caller holds prepare_referral. Audit: referral.downloaded."""
    from referrals.build import package_open

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.build_status != Referral.BuildStatus.DONE or not referral.package_name:
        raise ValidationError(_("The package is not built."))
    event = audit_record(
        actor=actor, action=actions.REFERRAL_DOWNLOADED, target=referral, case=referral.case,
        data={"package_sha256": referral.package_sha256, "files": referral.evidence_file_ids},
    )
    custody.record(referral=referral, audit_event=event, actor=actor, what="downloaded")
    return package_open(referral.package_name)


def _transition(*, actor, referral: Referral, allowed_from, to: str, action: str, data: dict) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in allowed_from:
        raise ValidationError(
            _("A %(status)s referral cannot be marked %(to)s.")
            % {"status": referral.get_status_display().lower(), "to": Referral.Status(to).label.lower()}
        )
    for name, value in data.items():
        setattr(referral, name, value)
    referral.status = to
    referral.full_clean()
    referral.save(update_fields=[*data, "status", "updated_at"])
    event = audit_record(
        actor=actor, action=action, target=referral, case=referral.case, fields=["status", *data],
        data={"from": list(allowed_from), "to": to, "files": referral.evidence_file_ids},
    )
    custody.record(referral=referral, audit_event=event, actor=actor, what=to)
    return referral


@transaction.atomic(durable=True)
def referral_mark_sent(*, actor, referral: Referral, sent_on, channel: str) -> Referral:
    """Record that the built package was sent, when and how. Caller holds prepare_referral. Audit: referral.sent."""
    if channel not in Referral.Channel.values:
        raise ValidationError({"sent_channel": _("Choose how it was sent.")})
    if sent_on is None or sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Enter the date it was sent (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.BUILT,), to=Referral.Status.SENT,
        action=actions.REFERRAL_SENT, data={"sent_on": sent_on, "sent_channel": channel},
    )


@transaction.atomic(durable=True)
def referral_mark_acknowledged(*, actor, referral: Referral, acknowledged_on) -> Referral:
    """Record the recipient's acknowledgement. Caller holds prepare_referral. Audit: referral.acknowledged."""
    if acknowledged_on is None or acknowledged_on > timezone.localdate():
        raise ValidationError({"acknowledged_on": _("Enter the date of the acknowledgement (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.SENT,), to=Referral.Status.ACKNOWLEDGED,
        action=actions.REFERRAL_ACKNOWLEDGED, data={"acknowledged_on": acknowledged_on},
    )


@transaction.atomic(durable=True)
def referral_close(*, actor, referral: Referral, closed_on, outcome: str, outcome_note: str = "") -> Referral:
    """Close a sent referral with its outcome. Caller holds prepare_referral. Audit: referral.closed."""
    if outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if closed_on is None or closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Enter the date it was closed (not in the future).")})
    return _transition(
        actor=actor, referral=referral, allowed_from=(Referral.Status.SENT, Referral.Status.ACKNOWLEDGED),
        to=Referral.Status.CLOSED, action=actions.REFERRAL_CLOSED,
        data={"closed_on": closed_on, "outcome": outcome, "outcome_note": outcome_note},
    )
