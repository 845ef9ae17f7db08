"""Evidence: encrypted files attached to cases, their working copies and their chain of custody.

Following the Berkeley Protocol, the file a person handed over (the evidentiary
copy) is kept untouched and encrypted; previews made from it (working copies)
are separate records. A destroyed file keeps its row as a tombstone: that it
existed, its hash and who destroyed it; its wrapped key and blob are gone.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField, ProtectedTextField


class SealedBlob(models.Model):
    """Where an encrypted blob lives and the wrapped data key that opens it (docs/evidence-format.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    blob_name = models.CharField(max_length=255, blank=True)
    format_version = models.PositiveSmallIntegerField(default=1)
    kek_id = models.CharField(max_length=300, blank=True)
    wrapped_key = models.BinaryField(null=True, blank=True, editable=False)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        abstract = True


class EvidenceFile(SealedBlob):
    """The evidentiary copy of one received file."""

    class Method(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        CLI = "cli", _("Command-line import")
        API = "api", _("API")
        PUBLIC_FORM = "form", _("Received through the public form")

    class State(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Processing failed")
        DESTROYED = "destroyed", _("Destroyed")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence_files", verbose_name=_("case"))
    event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_files", verbose_name=_("event")
    )
    source = models.ForeignKey(
        "cases.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_files", verbose_name=_("source")
    )
    source_label = ProtectedCharField(_("received from"), blank=True, help_text=_("Who handed the file over."))
    description = ProtectedTextField(_("description"), blank=True)
    original_name = ProtectedCharField(_("original file name"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    received_by_label = models.CharField(max_length=150)
    method = models.CharField(_("how received"), max_length=8, choices=Method.choices)
    claimed_type = models.CharField(_("type given by the sender"), max_length=120, blank=True)
    sniffed_type = models.CharField(_("type found in the content"), max_length=120, blank=True)
    sniffed_extension = models.CharField(max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROCESSING, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    integrity_ok = models.BooleanField(_("integrity"), null=True, blank=True)
    integrity_checked_at = models.DateTimeField(null=True, blank=True)
    integrity_detail = models.CharField(max_length=300, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    destruction_reason = models.CharField(_("reason for destruction"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["case", "received_at"]), models.Index(fields=["kek_id"])]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"

    @property
    def is_destroyed(self) -> bool:
        return self.state == self.State.DESTROYED

    @property
    def media_type(self) -> str:
        return self.sniffed_type or "application/octet-stream"

    @property
    def preview(self):
        return next((c for c in self.working_copies.all() if c.kind == WorkingCopy.Kind.PREVIEW and c.wrapped_key), None)


class WorkingCopy(SealedBlob):
    """A copy made from the evidentiary file for everyday use (a preview without location metadata)."""

    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Preview (location metadata removed)")

    original = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="working_copies")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PREVIEW)
    media_type = models.CharField(max_length=120)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class CustodyEvent(models.Model):
    """One link in a file's chain of custody. Rows are only ever added."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("Received")
        HASHED = "hashed", _("Hash computed")
        PROCESSED = "processed", _("Type identified and checked")
        COPY_MADE = "copy_made", _("Working copy made")
        VIEWED = "viewed", _("Viewed")
        DOWNLOADED = "downloaded", _("Downloaded")
        REFERRED = "referred", _("Included in a referral")
        EXPORTED = "exported", _("Custody record exported")
        REWRAPPED = "rewrapped", _("Key re-wrapped")
        VERIFIED = "verified", _("Integrity verified")
        INTEGRITY_FAILED = "integrity_failed", _("Integrity check failed")
        DESTROYED = "destroyed", _("Destroyed")

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="custody_events")
    working_copy = models.ForeignKey(WorkingCopy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_label}"
