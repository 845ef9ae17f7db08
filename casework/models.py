"""Follow-ups on a case: what to do, who does it, by when; done or not; optionally recurring."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField


class FollowUp(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    # "Call Rustam's sister back" names people: sealed like every description.
    what = ProtectedCharField(_("what"), max_length=300)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("who"))
    due = models.DateField(_("due"))
    every_days = models.PositiveSmallIntegerField(_("repeat every (days)"), null=True, blank=True)
    event = models.ForeignKey("cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("event"))
    contact = models.ForeignKey("cases.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("contact"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    flagged = models.BooleanField(default=False, help_text="The assignee lost access to the case: someone must take it over.")

    class Meta:
        ordering = ["due", "pk"]
        # My work and the navigation count read one person's open follow-ups by due date; "to take over" looks for
        # the few flagged ones. Without these PostgreSQL probes every visible case (bench/access.py).
        indexes = [
            models.Index(fields=["assignee", "due"], condition=models.Q(done_at__isnull=True), name="followup_open_by_assignee"),
            models.Index(fields=["case"], condition=models.Q(flagged=True, done_at__isnull=True), name="followup_flagged_open"),
        ]


# Tags and saved searches live in their own modules (each is a subject of its own).
from casework.models_searches import SavedSearch  # noqa: E402,F401
from casework.models_tags import CaseTag, Tag  # noqa: E402,F401
from casework.models_collab import Note, Notification, NotificationSetting, Review  # noqa: E402,F401  (notes, reviews, notifications)
