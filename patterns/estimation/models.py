"""An estimate asked for on the Patterns page: what was chosen, its progress, and the aggregate result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField


class EstimateJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    list_ids = models.JSONField(default=list)  # imported published lists
    include_cases = models.BooleanField(default=False)
    stratum = models.CharField(max_length=12, blank=True)
    # Coalition exports (linkage keys, no names) and the coalition's secret, sealed, dropped after the run.
    coalition_exports = models.JSONField(default=list)
    coalition_secret = ProtectedCharField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    result = models.JSONField(default=list)  # aggregates only: counts, estimates, overlaps
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
