"""Notes, peer reviews and notifications on cases.

A note or a review message names people and retells testimony: sealed like every description. A notification
holds only ids and a kind; its words are written when it is shown, through the reader's scoping selectors, so it
never carries (and never outlives access to) protected content.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedTextField

NOTE_MAX_LENGTH = 2000


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="case_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = ProtectedTextField(_("note"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")


class Review(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned with comments")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reviews")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    message = ProtectedTextField(_("message"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    comments = ProtectedTextField(_("comments"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("review")


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", _("mention")
        REVIEW_REQUESTED = "review_requested", _("review requested")
        REVIEW_APPROVED = "review_approved", _("review approved")
        REVIEW_RETURNED = "review_returned", _("review returned")
        CASE_SHARED = "case_shared", _("case shared")
        FOLLOW_UP_DUE = "follow_up_due", _("follow-up due")
        FOLLOW_UP_OVERDUE = "follow_up_overdue", _("follow-up overdue")
        INTAKE_NEW = "intake_new", _("new family report")
        INTEGRITY_FAILED = "integrity_failed", _("integrity check failed")

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The case it is about, if any: the reader sees it only while cases_for(reader) holds the case.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The note, review, follow-up, report or file it is about: an id, never content.
    object_id = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="casework_notif_unread")]
        constraints = [
            # The sweeps run again and again: one notification per recipient and object and kind.
            models.UniqueConstraint(fields=["recipient", "kind", "object_id"], condition=~Q(object_id=""), name="casework_notif_once"),
        ]


class NotificationSetting(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    email_digest = models.BooleanField(_("send me a daily e-mail digest"), default=True)
    # The language of the e-mails Dalil sends this user when no request tells it ("": the site's language).
    language = models.CharField(_("language of e-mails"), max_length=8, blank=True, default="")
    digest_sent_on = models.DateField(null=True, blank=True)
