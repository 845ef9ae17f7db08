"""Published lists, their imports and matches; person merges.

A published list is public material (names an investigative project printed), so its entries are kept
in plain text. What links a list entry to a person in Dalil (a candidate match) is held only as foreign
keys and is shown only to users who may see that person's case.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        MAPPING = "mapping", _("Waiting for column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        MATCHING = "matching", _("Matching against cases")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    # The file itself stays in the database, so the task gets only this row's id (never the content).
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
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
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else (100 if self.status == self.Status.DONE else 0)


class ListEntry(models.Model):
    """One good row of a list as of its newest import."""

    source_list = models.ForeignKey(SourceList, on_delete=models.CASCADE, related_name="entries")
    upload = models.ForeignKey(ListUpload, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField()
    full_name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, db_index=True)
    birth_date = models.DateField(null=True, blank=True)
    region = models.CharField(max_length=200, blank=True)
    nationality = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=200, blank=True)
    contract_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    # Same name, date of birth and region in a later import of the list: the same entry, so earlier
    # confirm/reject decisions apply to it again.
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
