"""Requests for a package build (run by referrals.build in a worker), its retry, and the package's download."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from common.transactions import service
from keys import ring
from referrals import custody, evidence_api
from referrals.models import Referral
from referrals.services.drafts import check_selection, discard_package
from referrals.services.passphrase import new_passphrase_seed, passphrase_context


@service
def referral_build_request(*, actor, referral: Referral) -> Referral:
    """Queue a build of the package. Caller holds prepare_referral. Audit: referral.build.requested."""
    from referrals.tasks import referral_build_task

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (Referral.Status.DRAFT, Referral.Status.BUILT):
        raise ValidationError(_("Only a draft or built referral can be built."))
    if referral.build_status in (Referral.BuildStatus.QUEUED, Referral.BuildStatus.RUNNING) and not build_is_stale(referral):
        raise ValidationError(_("This referral is already being built."))
    files = [evidence_api.file_get_for(actor, case=referral.case, file_id=fid) for fid in referral.evidence_file_ids]
    check_selection(
        actor=actor, case=referral.case, recipient_kind=referral.recipient_kind,
        events=list(referral.events.all()), contacts=list(referral.contacts.all()), files=files,
    )
    if referral.status == Referral.Status.BUILT:
        referral.status = Referral.Status.DRAFT
    discard_package(referral)
    build_id = uuid.uuid4()
    # A package for the recipient's age key is encrypted to that key alone: no passphrase is made or kept.
    kek_id, wrapped = ("", None) if referral.recipient_age_key else ring.wrap(new_passphrase_seed(), context=passphrase_context(referral, build_id))
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


@service
def referral_build_retry(*, actor, referral: Referral) -> Referral:
    """Queue the same build again after a failure or a dead worker. Caller holds prepare_referral. Audit: referral.build.requested."""
    from referrals.tasks import referral_build_task

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    retryable = referral.build_status == Referral.BuildStatus.FAILED or build_is_stale(referral)
    if not retryable or referral.build_id is None or (referral.passphrase_wrapped is None and not referral.recipient_age_key):
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


@service
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
