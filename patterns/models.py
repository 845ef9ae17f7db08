"""Published lists, their imports and matches; person merges.

A list is public, but a copy of it inside Dalil, beside the cases, says whom Dalil is looking at: a stolen
database must not name anyone through it. So an uploaded file, its header, every entry's identifying
fields and the identity of an entry across imports are protected exactly like a person's names: sealed
fields (keys/fields.py) and a keyed blind-index token (keys/blind_index.py) instead of a hash anyone could
test guesses against. A candidate match links an entry to a person by foreign keys, with a reason that
names no name, and is shown only to users who may see that person's case.
"""

import base64
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField, ProtectedDateField, ProtectedTextField


class SourceList(models.Model):
    """A published list (e.g. contract soldiers named by an investigative project), with its provenance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    publisher = models.CharField(_("published by"), max_length=200, blank=True)
    url = models.CharField(_("URL or citation"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_aggregates", "Can see counts over all cases without seeing any case")]

    def __str__(self) -> str:
        return self.title


class ListUpload(models.Model):
    """One uploaded file of a list and the import that reads it (a Celery task, with progress)."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading the file")
        MAPPING = "mapping", _("Waiting for column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        MATCHING = "matching", _("Matching against cases")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="uploads")
    # A file is often named after whom it lists ("ivanov_and_others.xlsx"): sealed like the content.
    filename = ProtectedCharField()
    # The file itself stays in the database, sealed, so the task gets only this row's id (never the content).
    # Base64 of the bytes: sealed fields hold text. A header row can be a row of names (a file without a
    # header), so the columns and the mapping that names them are sealed too.
    file_data = ProtectedTextField(null=True)
    sha256 = models.CharField(max_length=64)
    columns_json = ProtectedTextField(null=True)
    mapping_json = ProtectedTextField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    good_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[{line, reason}] for every rejected row")
    failure = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def content(self) -> bytes:
        return base64.b64decode(self.file_data or "")

    @content.setter
    def content(self, value: bytes) -> None:
        self.file_data = base64.b64encode(value).decode("ascii")

    @property
    def columns(self) -> list[str]:
        return json.loads(self.columns_json or "[]")

    @columns.setter
    def columns(self, value: list[str]) -> None:
        self.columns_json = json.dumps(value, ensure_ascii=False)

    @property
    def mapping(self) -> dict[str, str]:
        return json.loads(self.mapping_json or "{}")

    @mapping.setter
    def mapping(self, value: dict[str, str]) -> None:
        self.mapping_json = json.dumps(value, ensure_ascii=False)

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else (100 if self.status == self.Status.DONE else 0)


class ListEntry(models.Model):
    """One good row of a list as of its newest import; its identifying fields are sealed like a person's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="entries")
    upload = models.ForeignKey(ListUpload, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField()
    full_name = ProtectedCharField()
    birth_date = ProtectedDateField(null=True, blank=True)
    region = ProtectedCharField(blank=True)
    nationality = models.CharField(max_length=100, blank=True)
    unit = ProtectedCharField(blank=True)
    contract_date = ProtectedDateField(null=True, blank=True)
    source = ProtectedCharField(blank=True)
    source_url = ProtectedCharField(blank=True)
    # Same name, date of birth and region in a later import of the list: the same entry, so earlier
    # confirm/reject decisions apply to it again. A keyed blind-index token (patterns.lists.fingerprint),
    # never a plain hash: a plain hash of a name and a date of birth is found again by trying guesses.
    fingerprint = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["line"]

    def __str__(self) -> str:
        return self.full_name


class MatchDecision(models.Model):
    """A caseworker's confirm or reject of (list entry, person), remembered across re-imports."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="decisions")
    fingerprint = models.CharField(max_length=64)
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    case_source = models.ForeignKey("cases.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_event = models.ForeignKey("cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_list", "fingerprint", "person"], name="match_decision_unique")]


class MatchCandidate(models.Model):
    """A possible match between a list entry and a person in a case, with its score and why."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    why = models.CharField(max_length=500)
    decision = models.ForeignKey(MatchDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates")

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="match_candidate_unique")]

    @property
    def status(self) -> str:
        return self.decision.decision if self.decision_id else "pending"


class DuplicateDismissal(models.Model):
    """Two cases someone checked and found to be different people; not proposed again."""

    case_a = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_a", "case_b"], name="duplicate_dismissal_unique")]


class CaseMerge(models.Model):
    """A merge of two cases about one person. Both cases stay; what moved is listed here."""

    kept = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="merges_into")
    moved = models.JSONField(default=dict, help_text="ids of the events, sources, contacts and consents moved")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
