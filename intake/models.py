"""Family reports: everything a family typed or sent is sealed (intake/crypto.py); only what triage needs to
sort the queue is in clear: the day it came, its language, how many files, and what became of it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Waiting for triage")
        NEW_CASE = "new_case", _("Opened as a new case")
        ADDED = "added", _("Added to an existing case")
        DECLINED = "declined", _("Not for us")
        DESTROYED = "destroyed", _("Destroyed unread after the retention period")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    received_on = models.DateField(auto_now_add=True)  # the day only: no time to set beside a network log
    language = models.CharField(max_length=8)
    sealed = models.BinaryField()  # age, to the organisation: the answers as JSON
    lookup = models.CharField(max_length=64, unique=True)  # from the codename (intake/crypto.py); never the codename
    reply_recipient = models.CharField(max_length=100)  # age public key derived from the codename
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="family_reports")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handled_on = models.DateField(null=True, blank=True)
    fetched = models.BooleanField(default=False)  # on a separate public host: taken by the internal side

    class Meta:
        ordering = ["received_on", "id"]
        permissions = [("triage", "Can read and triage family reports")]


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    sealed = models.BinaryField()  # age, to the organisation: {"name", "type", "data"} with metadata stripped
    size = models.PositiveIntegerField()
    imported = models.BooleanField(default=False)  # became evidence of the case


class Message(models.Model):
    class From(models.TextChoices):
        FAMILY = "family", _("The family")
        ORGANISATION = "org", _("The organisation")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=6, choices=From.choices)
    sealed = models.BinaryField()  # family → organisation: to the intake key; organisation → family: to the codename's key
    sent_on = models.DateField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fetched = models.BooleanField(default=False)


class IntakeSettings(models.Model):
    """Set by admins on the queue page: how long an untriaged report is kept before it is destroyed."""

    retention_days = models.PositiveIntegerField(default=90)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    @classmethod
    def current(cls) -> "IntakeSettings":
        return cls.objects.first() or cls(retention_days=settings.DALIL_INTAKE_RETENTION_DAYS)
