"""A referral's draft: its recipient, its selection (checked against consent), and its discarded package."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.models import Case, Contact, Event
from common.transactions import service
from referrals import consent as consent_rules
from referrals.models import Referral

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


def check_selection(*, actor, case: Case, recipient_kind: str, events, contacts, files) -> None:
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
    for file in files:
        if file.case_id != case.pk:
            errors.setdefault("files", []).append(_("A file of another case cannot be included."))
        elif reason := consent_rules.file_refusal(file):
            errors.setdefault("files", []).append(reason)
    if errors:
        raise ValidationError(errors)


def discard_package(referral: Referral) -> None:
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


@service
def referral_create(
    *, actor, case: Case, data: dict, events: Iterable[Event] = (), contacts: Iterable[Contact] = (), files: Iterable = ()
) -> Referral:
    """Start a draft referral for a named recipient. Caller holds prepare_referral. Audit: referral.created."""
    events, contacts, files = list(events), list(contacts), list(files)
    referral = Referral(case=case, created_by=actor, **{k: v for k, v in data.items() if k in _DRAFT_FIELDS})
    referral.full_clean()
    check_selection(actor=actor, case=case, recipient_kind=referral.recipient_kind, events=events, contacts=contacts, files=files)
    referral.evidence_file_ids = [str(f.pk) for f in files]
    referral.save()
    referral.events.set(events)
    referral.contacts.set(contacts)
    audit_record(
        actor=actor, action=actions.REFERRAL_CREATED, target=referral, case=case, fields=sorted(data),
        data={"recipient_kind": referral.recipient_kind, "events": len(events), "contacts": len(contacts), "files": len(files)},
    )
    return referral


@service
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
    check_selection(actor=actor, case=referral.case, recipient_kind=referral.recipient_kind, events=events, contacts=contacts, files=files)
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
        discard_package(referral)
        changed.append("status")
    referral.save()
    audit_record(actor=actor, action=actions.REFERRAL_UPDATED, target=referral, case=referral.case, fields=changed)
    return changed
