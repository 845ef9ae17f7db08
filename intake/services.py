"""Family reports: received and followed up on the public side, triaged and answered on the internal side.

Public side: nothing typed is kept in clear anywhere; the audit events it writes carry no address, no user
agent and no content (audit.context is emptied for these requests, see intake/views_public.py).
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone


from audit import actions
from audit.services import audit_record
from common.transactions import service
from intake import crypto
from intake.attachments import clean_file
from intake.models import Attachment, IntakeSettings, Message, Submission

SYSTEM = "intake"


class Busy(Exception):
    """Too many reports at once: the visitor is asked to try again later; what they typed stays in the form."""


def _seal_files(files) -> list[tuple[bytes, int]]:
    out = []
    for upload in files:
        upload.seek(0)
        cleaned = clean_file(upload.name, upload.read())
        # The hash at arrival, sealed with the file: triage records it and checks the file against it.
        data = dict(cleaned, data=cleaned["data"].hex(), sha256=hashlib.sha256(cleaned["data"]).hexdigest())
        out.append((crypto.seal_for_organisation(json.dumps(data).encode()), len(cleaned["data"])))
    return out


def _check_capacity() -> None:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"intake:rate:{minute}"
    cache.add(key, 0, 120)
    count = cache.incr(key)
    if count > settings.DALIL_INTAKE_RATE_PER_MINUTE or Submission.objects.filter(status=Submission.Status.NEW).count() >= settings.DALIL_INTAKE_QUEUE_CAP:
        if cache.add(f"intake:flood:{timezone.now():%Y%m%d%H}", 1, 7200):
            with transaction.atomic():
                audit_record(actor=None, action=actions.INTAKE_FLOOD, system=SYSTEM, data={"minute_count": count})
        raise Busy


def submit(*, answers: dict, files, language: str) -> tuple[Submission, str]:
    """Seal and store a report; returns it with its codename, which is shown once and kept nowhere."""
    _check_capacity()
    sealed_files = _seal_files(files)
    sealed = crypto.seal_for_organisation(json.dumps({"answers": answers, "language": language}).encode())
    codename = crypto.new_codename()
    keys = crypto.CodenameKeys(codename)
    return _store(sealed, sealed_files, keys, language), codename


@service
def _store(sealed: bytes, sealed_files, keys: crypto.CodenameKeys, language: str) -> Submission:
    submission = Submission.objects.create(language=language, sealed=sealed, lookup=keys.lookup, reply_recipient=keys.reply_recipient)
    Attachment.objects.bulk_create(Attachment(submission=submission, sealed=blob, size=size) for blob, size in sealed_files)
    audit_record(actor=None, action=actions.INTAKE_RECEIVED, target=submission, system=SYSTEM, data={"files": len(sealed_files)})
    return submission


def find(codename: str) -> tuple[Submission, crypto.CodenameKeys] | None:
    """The report of a codename, throttled per codename: None for an unknown codename or too many tries."""
    if not crypto.looks_like_codename(codename):
        return None
    keys = crypto.CodenameKeys(codename)
    tries = f"intake:tries:{keys.lookup}:{timezone.now():%Y%m%d%H}"
    cache.add(tries, 0, 3700)
    if cache.incr(tries) > settings.DALIL_INTAKE_FOLLOWUP_TRIES_PER_HOUR:
        return None
    submission = Submission.objects.filter(lookup=keys.lookup).exclude(status=Submission.Status.DESTROYED).first()
    return (submission, keys) if submission else None


def replies_for(submission: Submission, keys: crypto.CodenameKeys) -> list[dict]:
    """What the family may read: the organisation's replies (opened with the codename), and when they wrote."""
    out = []
    for message in submission.messages.order_by("pk"):
        if message.sender == Message.From.ORGANISATION:
            out.append({"from": "org", "on": message.sent_on, "text": keys.open_reply(message.sealed).decode()})
        else:
            out.append({"from": "family", "on": message.sent_on, "text": ""})
    return out


def follow_up(*, submission: Submission, text: str, files) -> Message | None:
    sealed_files = _seal_files(files)
    sealed = crypto.seal_for_organisation(json.dumps({"text": text}).encode()) if text.strip() else None
    return _store_follow_up(submission, sealed, sealed_files)


@service
def _store_follow_up(submission, sealed, sealed_files) -> Message | None:
    message = Message.objects.create(submission=submission, sender=Message.From.FAMILY, sealed=sealed) if sealed else None
    Attachment.objects.bulk_create(Attachment(submission=submission, sealed=blob, size=size) for blob, size in sealed_files)
    audit_record(actor=None, action=actions.INTAKE_FOLLOW_UP, target=submission, system=SYSTEM, data={"files": len(sealed_files), "text": bool(sealed)})
    return message


# --- the internal side ----------------------------------------------------------------------------------------


def opened(submission: Submission) -> dict:
    """The report as the family wrote it, with its follow-up messages and the names of its files."""
    report = json.loads(crypto.open_as_organisation(submission.sealed))
    report["messages"] = [
        {"from": m.sender, "on": m.sent_on, "author": m.author,
         "text": json.loads(crypto.open_as_organisation(m.sealed))["text"] if m.sender == Message.From.FAMILY else None}
        for m in submission.messages.order_by("pk")
    ]
    return report


def attachment_opened(attachment: Attachment) -> dict:
    data = json.loads(crypto.open_as_organisation(attachment.sealed))
    return dict(data, data=bytes.fromhex(data["data"]))


@service
def reply(*, actor, submission: Submission, text: str) -> Message:
    """A reply the family reads with their codename; sealed to the codename's key, unreadable to a seized server."""
    message = Message.objects.create(
        submission=submission, sender=Message.From.ORGANISATION, author=actor,
        sealed=crypto.seal_for_family(submission.reply_recipient, text.encode()),
    )
    audit_record(actor=actor, action=actions.INTAKE_REPLIED, target=submission, case=submission.case)
    return message


@service
def viewed(*, actor, submission: Submission, attachment: Attachment | None = None) -> None:
    """A report, or one of its files, was read (a file's download is a read of the report, naming the file)."""
    data = {"attachment": attachment.pk} if attachment is not None else {}
    audit_record(actor=actor, action=actions.INTAKE_VIEWED, target=submission, case=submission.case, data=data)


@service
def retention_set(*, actor, days: int) -> IntakeSettings:
    current = IntakeSettings.current()
    current.retention_days, current.updated_by = days, actor
    current.save()
    audit_record(actor=actor, action=actions.INTAKE_RETENTION_SET, data={"days": days})
    return current


def destroy_expired(*, today: datetime.date | None = None) -> int:
    """Crypto-shred untriaged reports older than the retention period; a tombstone records that each existed."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=IntakeSettings.current().retention_days)
    count = 0
    for pk in Submission.objects.filter(status=Submission.Status.NEW, received_on__lt=cutoff).values_list("pk", flat=True):
        _destroy(pk)
        count += 1
    return count


@service
def _destroy(pk) -> None:
    submission = Submission.objects.select_for_update().get(pk=pk)
    submission.attachments.all().delete()
    submission.messages.all().delete()
    submission.sealed, submission.reply_recipient, submission.status = b"", "", Submission.Status.DESTROYED
    submission.save(update_fields=["sealed", "reply_recipient", "status"])
    audit_record(actor=None, action=actions.INTAKE_DESTROYED, target=submission, system=SYSTEM,
                 data={"received_on": submission.received_on.isoformat()})


