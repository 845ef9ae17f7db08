"""Building a referral package, in a Celery worker (referrals.tasks.referral_build_task).

The build is claimed, made, then published:

* claim - under a row lock: the build id must still be the referral's (a newer request
  supersedes it) and not done already (a redelivered message is a no-op: idempotent);
* make - exhibits stream from the evidence store through pyzipper's AES encryption into
  an anonymous temporary file, which only ever holds ciphertext; each exhibit's hash is
  checked against its intake hash on the way, and a mismatch stops the build;
* publish - the finished ZIP is copied into storage under a `.part` name and renamed
  (evidence.blobs.BlobWriter), then one transaction marks the referral built, writes the
  audit event and a custody entry on every exhibit.

A worker killed half-way leaves the referral "building" with a stale heartbeat and no
package: the message is redelivered (acks_late) and the same build runs again, or legal
staff retry it from the page once it is stale. No half-written package is ever visible.
"""

import hashlib
import logging
import os
import tempfile
import time

from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.utils import timezone

from audit import actions
from audit.services import audit_record
from cases.selectors import cases_for
from common.transactions import service
from evidence import blobs
from evidence.models import EvidenceFile
from evidence.sealing import plaintext_chunks

from referrals import consent as consent_rules
from referrals import custody
from referrals import manifest as manifests
from referrals.dossier import dossier_data, exhibit_number, organisation_name
from referrals.models import Referral
from referrals.package import ExhibitIntegrityError, age_encrypt, exhibit_path, write_package
from referrals.pdf import render_pdf
from referrals.selectors import REFERRAL_PERM
from referrals.services import passphrase_for_build

logger = logging.getLogger(__name__)

SYSTEM = "referrals.build"
_COPY_CHUNK = 1024 * 1024


class BuildFailed(Exception):
    """The build cannot go on; the message is shown to legal staff as the reason."""


def package_name(referral: Referral, build_id) -> str:
    return f"referrals/{referral.pk}/{build_id}.zip" + (".age" if referral.recipient_age_key else "")


def package_open(name: str):
    return blobs.storage().open(name, "rb")


def package_delete(name: str) -> None:
    try:
        blobs.delete(name)
    except OSError:
        logger.warning("referral package %s could not be deleted", name)


# --- claim / progress / finish -------------------------------------------------------------


@service
def _claim(referral_id, build_id) -> Referral | None:
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None or str(referral.build_id) != str(build_id):
        return None  # deleted, or superseded by a newer build request
    if referral.build_status == Referral.BuildStatus.DONE:
        return None  # already built: a redelivered message changes nothing
    referral.build_status = Referral.BuildStatus.RUNNING
    referral.build_attempts += 1
    referral.build_progress = 1
    referral.build_step = "Starting"
    referral.build_error = ""
    referral.build_heartbeat_at = timezone.now()
    referral.save(update_fields=["build_status", "build_attempts", "build_progress", "build_step", "build_error", "build_heartbeat_at"])
    return referral


class _Progress:
    """Writes progress (and the heartbeat that marks the build alive) at most every half second."""

    def __init__(self, referral_id, build_id):
        self.referral_id, self.build_id = referral_id, build_id
        self._last = 0.0

    def __call__(self, percent: int, step: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        Referral.objects.filter(pk=self.referral_id, build_id=self.build_id).update(
            build_progress=max(1, min(99, int(percent))), build_step=step[:120], build_heartbeat_at=timezone.now()
        )


@service
def _fail(referral_id, build_id, reason: str) -> None:
    referral = Referral.objects.select_for_update().filter(pk=referral_id, build_id=build_id).first()
    if referral is None:
        return
    referral.build_status = Referral.BuildStatus.FAILED
    referral.build_error = reason[:500]
    referral.build_heartbeat_at = timezone.now()
    referral.save(update_fields=["build_status", "build_error", "build_heartbeat_at"])
    audit_record(
        actor=None, action=actions.REFERRAL_BUILD_FAILED, target=referral, case=referral.case,
        fields=["build_status"], data={"build_id": str(build_id), "reason": reason[:300]}, system=SYSTEM,
    )


@service
def _finish(referral_id, build_id, *, name: str, sha256: str, size: int) -> bool:
    referral = Referral.objects.select_for_update().filter(pk=referral_id, build_id=build_id).first()
    if referral is None or referral.build_status == Referral.BuildStatus.DONE:
        return False
    referral.build_status = Referral.BuildStatus.DONE
    referral.build_progress = 100
    referral.build_step = "Done"
    referral.status = Referral.Status.BUILT
    referral.built_at = timezone.now()
    referral.package_name, referral.package_sha256, referral.package_size = name, sha256, size
    referral.save()
    event = audit_record(
        actor=None, action=actions.REFERRAL_BUILT, target=referral, case=referral.case, fields=["status", "package_name"],
        data={
            "build_id": str(build_id), "package_sha256": sha256, "size": size, "files": referral.evidence_file_ids,
            "requested_by": referral.build_requested_by.get_username() if referral.build_requested_by else "",
        },
        system=SYSTEM,
    )
    custody.record(referral=referral, audit_event=event, actor=None, what="built")
    return True


# --- the build -----------------------------------------------------------------------------


def referral_build(*, referral_id, build_id) -> str:
    """Build the package of one requested build. Idempotent; a failure leaves the reason and a retryable state."""
    referral = _claim(referral_id, build_id)
    if referral is None:
        return "skipped"
    progress = _Progress(referral_id, build_id)
    try:
        name, sha256, size = _make(referral, build_id, progress)
    except BuildFailed as exc:
        _fail(referral_id, build_id, str(exc))
        return "failed"
    except Exception as exc:  # noqa: BLE001 - anything else: record it as a retryable failure, keep the trace in the worker log
        logger.exception("referral %s build %s failed", referral_id, build_id)
        _fail(referral_id, build_id, f"Unexpected error ({exc.__class__.__name__}); the build can be retried.")
        return "failed"
    if not _finish(referral_id, build_id, name=name, sha256=sha256, size=size):
        package_delete(name)  # superseded while we worked
        return "superseded"
    return "built"


def _exhibits(referral: Referral, user) -> list[tuple[EvidenceFile, dict]]:
    from referrals import evidence_api

    out = []
    for index, file_id in enumerate(referral.evidence_file_ids):
        number = exhibit_number(index)
        try:
            file = evidence_api.file_get_for(user, case=referral.case, file_id=file_id)
        except Http404:
            raise BuildFailed(f"Exhibit {number} is no longer available to the person who asked for the build.") from None
        if file.is_destroyed or not file.wrapped_key:
            raise BuildFailed(f"Exhibit {number} has been destroyed and cannot be included.")
        if file.integrity_ok is False:
            raise BuildFailed(f"Exhibit {number} failed its last integrity check ({file.integrity_detail or 'no detail'}); the build was stopped.")
        if reason := consent_rules.file_refusal(file):
            raise BuildFailed(f"Exhibit {number}: {reason}")
        out.append(
            (
                file,
                {
                    "number": number,
                    "file_id": str(file.pk),
                    "path": exhibit_path(number, file.sniffed_extension),
                    "label": file.original_name,
                    "media_type": file.media_type,
                    "size": file.size,
                    "sha256_at_intake": file.sha256,
                    "received_at": file.received_at.isoformat(),
                },
            )
        )
    return out


def _allowed_requester(referral: Referral):
    """Who asked for the build, if they still may, and the consent still covers the recipient; BuildFailed if not."""
    user = referral.build_requested_by
    case = referral.case
    if user is None or not user.is_active or not cases_for(user, perm=REFERRAL_PERM).filter(pk=case.pk).exists():
        raise BuildFailed("The person who asked for the build may no longer prepare referrals for this case.")
    decision = consent_rules.case_decision(user, case=case, recipient_kind=referral.recipient_kind)
    if not decision.allowed:
        raise BuildFailed(decision.reason)
    for contact in referral.contacts.all():
        if reason := consent_rules.contact_refusal(contact):
            raise BuildFailed(f"{contact.get_relationship_display()}: {reason}")
    return user


def _make(referral: Referral, build_id, progress) -> tuple[str, str, int]:
    from audit import checkpoints, keys

    user = _allowed_requester(referral)
    pairs = _exhibits(referral, user)
    files = {x["file_id"]: f for f, x in pairs}
    exhibits = [x for _f, x in pairs]

    progress(3, "Signing an audit checkpoint", force=True)
    row = checkpoints.checkpoint_extend()  # from the stored tree state: the new events only, not the whole log
    custody_ids = {x["file_id"]: custody.event_ids(files[x["file_id"]]) for x in exhibits}
    progress(6, "Proving custody entries against the checkpoint", force=True)
    wanted = sorted({i for ids in custody_ids.values() for i in ids})
    proofs = {p["event_id"]: p for p in checkpoints.inclusion_proofs(wanted, checkpoint=row)} if wanted else {}
    stamps = _timestamps(row, proofs)
    passphrase = None if referral.recipient_age_key else passphrase_for_build(referral)

    def chunks_for(exhibit):
        return _verified_chunks(files[exhibit["file_id"]], exhibit["number"])

    def finish(done_exhibits):
        progress(92, "Writing the dossier PDF", force=True)
        data = dossier_data(referral=referral, user=user, exhibits=done_exhibits)
        if where := [k for k, v in data.items() if k != "redactor" and data["redactor"].leaks(v)]:
            # The sections only, never the words: the reason is stored and shown.
            raise BuildFailed(f"Redaction check: a form of a redacted name remains in the dossier ({', '.join(where)}); nothing was built.")
        try:
            listed = [
                manifests.exhibit_entry(x, shown, [manifests.custody_entry(proofs[i], data["redactor"]) for i in custody_ids[x["file_id"]]])
                for x, shown in zip(done_exhibits, data["exhibits"], strict=True)
            ]
        except manifests.ManifestError as exc:
            raise BuildFailed(str(exc)) from None
        body = manifests.manifest(
            referral=referral, build_id=build_id, organisation=organisation_name(), exhibits=listed, checkpoint_row=row,
            verifier_key=keys.verifier_key(), timestamps=stamps, tsa_roots=tsa_roots_pem() if stamps else (),
        )
        readme = manifests.readme(organisation=organisation_name(), verifier_key=keys.verifier_key(), exhibit_count=len(listed))
        return render_pdf(data), body, readme

    with tempfile.TemporaryFile(prefix="dalil-referral-") as out:
        try:
            write_package(
                out, passphrase=passphrase, exhibits=exhibits, chunks_for=chunks_for, finish=finish,
                progress=lambda done, total: progress(8 + 82 * done // total, "Encrypting exhibits into the package"),
            )
        except ExhibitIntegrityError as exc:
            raise BuildFailed(f"Integrity check failed: {exc}. The build was stopped; nothing was written.") from None
        progress(97, "Storing the encrypted package", force=True)
        if not referral.recipient_age_key:
            return _publish(out, package_name(referral, build_id))
        with tempfile.TemporaryFile(prefix="dalil-referral-age-") as sealed:
            out.seek(0)
            age_encrypt(out, sealed, referral.recipient_age_key)
            return _publish(sealed, package_name(referral, build_id))


def tsa_roots_pem() -> list[str]:
    """The time-stamping roots this installation checks its stamps against (DALIL_TSA_CA_FILE), one PEM text each:
    carried in the package so that its verifier can chain each stamp to them (a court pins its own with --tsa-root)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from django.conf import settings

    if not settings.DALIL_TSA_CA_FILE:
        return []
    with open(settings.DALIL_TSA_CA_FILE, "rb") as fh:
        return [root.public_bytes(Encoding.PEM).decode("ascii") for root in x509.load_pem_x509_certificates(fh.read())]


def _timestamps(row, proofs: dict) -> list[dict]:
    """The RFC 3161 stamps of the package's checkpoint and of its exhibits' intake batches (stamped now if need be)."""
    import json

    from audit import timestamps

    try:
        timestamps.stamp(row)
    except timestamps.TimestampUnavailable as exc:
        logger.warning("referral build: checkpoint %s not time-stamped: %s", row.tree_size, exc)
    intake = [p["leaf_index"] for p in proofs.values() if json.loads(p["event"])[5] == actions.EVIDENCE_FILE_RECEIVED]
    return timestamps.for_package(row, intake)


def _verified_chunks(evidence_file: EvidenceFile, number: str):
    from keys.stream import EvidenceFormatError
    from keys.ring import KeyUnavailable

    try:
        yield from plaintext_chunks(evidence_file)
    except FileNotFoundError:
        raise BuildFailed(f"Exhibit {number}: its encrypted file is missing from storage; the build was stopped.") from None
    except KeyUnavailable:
        raise BuildFailed(f"Exhibit {number}: its key is unavailable; the build was stopped.") from None
    except EvidenceFormatError as exc:
        raise BuildFailed(f"Integrity check failed: exhibit {number} was altered in storage ({exc}); the build was stopped.") from None


def _publish(out, name: str) -> tuple[str, str, int]:
    store = blobs.storage()
    if isinstance(store, FileSystemStorage):
        stale = store.path(name) + ".part"
        if os.path.exists(stale):
            os.unlink(stale)  # left by a worker that died while copying
    digest = hashlib.sha256()
    out.seek(0)
    writer = blobs.BlobWriter(name)
    try:
        while chunk := out.read(_COPY_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return name, digest.hexdigest(), writer.size
