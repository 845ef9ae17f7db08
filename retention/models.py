"""Retention of cases: how long each status is kept, holds that stop destruction, extensions, and tombstones.

A case is due for review when it has not changed for longer than its status's retention period (a closed case
changes last when it is closed, so the clock starts at closure or at any later edit). It is destroyed only
after a named admin confirms it, and never while a legal hold stands or a referral of it is open.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField


class RetentionPolicy(models.Model):
    status = models.CharField(_("status"), max_length=10, unique=True)
    days = models.PositiveIntegerField(_("keep for (days after the last change)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status"]


class LegalHold(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    # Reasons are for admins and legal staff, but they can name a court, a proceeding or a person: sealed.
    reason = ProtectedCharField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = ProtectedCharField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(lifted_at__isnull=True), name="retention_one_standing_hold"),
        ]


class RetentionExtension(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="retention_extensions")
    until = models.DateField(_("keep until"))
    reason = ProtectedCharField(_("reason"))
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-until"]


class RetentionReview(models.Model):
    """The monthly list of cases past retention, prepared by Celery beat (or by an admin) for admins to decide."""

    month = models.DateField(unique=True, help_text="The first day of the month the list is for.")
    prepared_at = models.DateTimeField(auto_now_add=True)
    cases = models.ManyToManyField("cases.Case", related_name="+")

    class Meta:
        ordering = ["-month"]


class CaseTombstone(models.Model):
    """What remains of a destroyed case: that it existed, its dates, who destroyed it and why."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, primary_key=True, related_name="tombstone")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=10)
    opened_at = models.DateTimeField(_("opened"))
    last_changed_at = models.DateTimeField(_("last changed"))
    destroyed_at = models.DateTimeField(_("destroyed"), auto_now_add=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("destroyed by"))
    # Sealed under the column's field key (keys/aead.py), which outlives the case: whoever may see the tombstone reads it.
    reason = ProtectedCharField(_("reason"))
    # Who could see the case when it was destroyed: they (and admins) still see its tombstone.
    viewer_ids = models.JSONField(default=list)
