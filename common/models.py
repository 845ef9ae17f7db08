"""Records that any layer may keep: the once-only record of a create (common/idempotency.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """A create or upload done under an Idempotency-Key or a form's token, so that a retry replays it instead of repeating it.

    It keeps the object made, never the response body: a replay reads the object again
    through the selectors, so no testimony is stored twice and access is checked again.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    status_code = models.PositiveSmallIntegerField(null=True)
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # The table and its constraint keep the names they had when the model was the API's
        # (common/migrations/0001_initial.py takes them over without touching a row).
        db_table = "api_idempotencyrecord"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_unique_key")]
