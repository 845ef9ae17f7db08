"""Trafficking assessments and referral dossiers.

An assessment records, for one case, which elements of the Palermo Protocol
definition (act, means, purpose) and which of the eleven ILO indicators of forced
labour the case's events, sources and evidence files support. A referral is one
dossier for one named recipient organisation: what it may include is bounded by
the consent in force, and it is built into an encrypted package by a Celery task.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedTextField
from cases.models import Case, Contact, Event, Source

# --- the definitions the assessment is made against ------------------------

ELEMENT, INDICATOR = "element", "indicator"

# Palermo Protocol, art. 3(a): act + means + purpose.
PALERMO_ELEMENTS = {
    "act": (
        _("Act"),
        [
            ("recruitment", _("Recruitment")),
            ("transportation", _("Transportation")),
            ("transfer", _("Transfer")),
            ("harbouring", _("Harbouring")),
            ("receipt", _("Receipt of persons")),
        ],
    ),
    "means": (
        _("Means"),
        [
            ("force", _("Threat or use of force")),
            ("coercion", _("Other forms of coercion")),
            ("abduction", _("Abduction")),
            ("fraud", _("Fraud")),
            ("deception", _("Deception")),
            ("abuse_of_power", _("Abuse of power")),
            ("abuse_of_vulnerability", _("Abuse of a position of vulnerability")),
            ("payments", _("Giving or receiving of payments or benefits")),
        ],
    ),
    "purpose": (
        _("Purpose"),
        [
            ("forced_labour", _("Forced labour or services")),
            ("forced_military_service", _("Forced military service")),
        ],
    ),
}

# ILO indicators of forced labour (2012), in the ILO's order.
ILO_INDICATORS = {
    "abuse_of_vulnerability": _("Abuse of vulnerability"),
    "deception": _("Deception"),
    "restriction_of_movement": _("Restriction of movement"),
    "isolation": _("Isolation"),
    "physical_sexual_violence": _("Physical and sexual violence"),
    "intimidation_threats": _("Intimidation and threats"),
    "retention_of_documents": _("Retention of identity documents"),
    "withholding_of_wages": _("Withholding of wages"),
    "debt_bondage": _("Debt bondage"),
    "abusive_conditions": _("Abusive working and living conditions"),
    "excessive_overtime": _("Excessive overtime"),
}


def item_code(kind: str, code: str) -> str:
    """One namespace for both lists: 'element:act', 'indicator:deception' (both lists have a 'deception')."""
    return f"{kind}:{code}"


ITEM_CHOICES = [(item_code(ELEMENT, k), label) for k, (label, _opts) in PALERMO_ELEMENTS.items()] + [
    (item_code(INDICATOR, k), label) for k, label in ILO_INDICATORS.items()
]


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MODERATE = "moderate", _("Moderate")
    WEAK = "weak", _("Weak")


STRENGTH_RANK = {Strength.STRONG: 3, Strength.MODERATE: 2, Strength.WEAK: 1}


class Assessment(models.Model):
    """The trafficking assessment of one case, kept by legal staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="trafficking_assessment")
    conclusion = ProtectedTextField(_("conclusion"), blank=True)
    # The conclusion's version; each item has its own. A save from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Assessment of {self.case_id}"


class AssessmentItem(models.Model):
    """One Palermo element or ILO indicator of an assessment: the sub-options found and a note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("element or indicator"), max_length=40, choices=ITEM_CHOICES)
    options = models.JSONField(_("forms found"), default=list, blank=True, help_text=_("For a Palermo element: which act, means or purpose."))
    note = ProtectedTextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="assessment_item_unique")]

    @property
    def kind(self) -> str:
        return self.code.split(":", 1)[0]

    @property
    def short_code(self) -> str:
        return self.code.split(":", 1)[1]

    def __str__(self) -> str:
        return self.get_code_display()


class SupportLink(models.Model):
    """One event, source or evidence file that supports an element or indicator, how strongly and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="links")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The evidence app owns its file model; a plain id keeps this app free of its migrations.
    evidence_file_id = models.UUIDField(null=True, blank=True, db_index=True)
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices)
    note = ProtectedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, source__isnull=True, evidence_file_id__isnull=True)
                    | Q(event__isnull=True, source__isnull=False, evidence_file_id__isnull=True)
                    | Q(event__isnull=True, source__isnull=True, evidence_file_id__isnull=False)
                ),
                name="support_link_one_target",
            )
        ]

    @property
    def target_kind(self) -> str:
        return "event" if self.event_id else "source" if self.source_id else "file"


class ReviewRequest(models.Model):
    """A caseworker's request that legal staff review a case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="review_requests")
    note = ProtectedTextField(_("what should legal look at"), blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]


# --- referrals -----------------------------------------------------------


class RecipientKind(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    AUTHORITY = "authority", _("Prosecutor or authority")
    HOTLINE = "hotline", _("Anti-trafficking hotline")
    UN = "un", _("UN Special Rapporteurs")
    PARTNER = "partner", _("Partner organisation")


# The consent scope (a Consent boolean) that must be in force to share with each kind of recipient.
# Hotlines are run by civil-society partners here, so they need the partners' consent.
CONSENT_SCOPE = {
    RecipientKind.LAWYER: "share_lawyers",
    RecipientKind.AUTHORITY: "share_authorities",
    RecipientKind.HOTLINE: "share_partners",
    RecipientKind.UN: "share_un",
    RecipientKind.PARTNER: "share_partners",
}


class Redaction(models.TextChoices):
    FULL = "full", _("Full identity")
    INITIALS = "initials", _("Initials")
    PSEUDONYM = "pseudonym", _("Pseudonym")


def validate_age_recipient(value: str) -> None:
    """An age X25519 recipient (age1…), as the recipient gave it (referrals/package.py encrypts to it)."""
    from pyrage import x25519

    try:
        x25519.Recipient.from_str(value.strip())
    except Exception:  # noqa: BLE001 - pyrage raises its own error types for every malformed key
        raise ValidationError(_("This is not an age public key (it starts with age1).")) from None


class Referral(models.Model):
    """A dossier for one named recipient organisation, and where it stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        BUILT = "built", _("Built")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    class BuildStatus(models.TextChoices):
        IDLE = "idle", _("Not built")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Done")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SECURE_UPLOAD = "secure_upload", _("Secure file transfer")
        MESSENGER = "messenger", _("Encrypted messenger")
        HAND = "hand", _("By hand (USB stick or disc)")
        POST = "post", _("Post or courier")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Taken up by the recipient")
        PROCEEDINGS = "proceedings", _("Proceedings opened")
        COMMUNICATION = "communication", _("Communication sent to the state")
        DECLINED = "declined", _("Declined by the recipient")
        NO_RESPONSE = "no_response", _("No response")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    recipient_name = models.CharField(_("recipient organisation"), max_length=200)
    recipient_kind = models.CharField(_("kind of recipient"), max_length=12, choices=RecipientKind.choices)
    recipient_age_key = models.CharField(
        _("recipient's age public key"), max_length=100, blank=True, validators=[validate_age_recipient],
        help_text=_("Optional: age1… (X25519). The package is then encrypted to this key instead of a passphrase."),
    )
    purpose = models.TextField(_("purpose of the referral"), blank=True, max_length=4000)
    person_redaction = models.CharField(_("the person"), max_length=10, choices=Redaction.choices, default=Redaction.PSEUDONYM)
    family_redaction = models.CharField(_("the family"), max_length=10, choices=Redaction.choices, default=Redaction.PSEUDONYM)
    sources_redaction = models.CharField(_("the sources"), max_length=10, choices=Redaction.choices, default=Redaction.PSEUDONYM)
    pseudonym = models.CharField(_("pseudonym for the person"), max_length=60, default="Person A")
    events = models.ManyToManyField(Event, blank=True, related_name="+", verbose_name=_("events"))
    contacts = models.ManyToManyField(Contact, blank=True, related_name="+", verbose_name=_("contacts"))
    # Evidence file ids (the evidence app owns the model), in exhibit order.
    evidence_file_ids = models.JSONField(default=list, blank=True)
    include_assessment = models.BooleanField(_("include the trafficking assessment"), default=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_channel = models.CharField(_("sent by"), max_length=16, choices=Channel.choices, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True, max_length=4000)

    # The build. build_id names one requested build; a retry of it (after a crash) reuses it.
    build_status = models.CharField(max_length=8, choices=BuildStatus.choices, default=BuildStatus.IDLE)
    build_id = models.UUIDField(null=True, blank=True)
    build_progress = models.PositiveSmallIntegerField(default=0)
    build_step = models.CharField(max_length=120, blank=True)
    build_error = models.CharField(max_length=500, blank=True)
    build_attempts = models.PositiveSmallIntegerField(default=0)
    build_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    build_requested_at = models.DateTimeField(null=True, blank=True)
    build_heartbeat_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    package_name = models.CharField(max_length=300, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    package_size = models.BigIntegerField(null=True, blank=True)
    # The package passphrase, wrapped by the key ring until it has been shown once, then erased.
    passphrase_kek_id = models.CharField(max_length=100, blank=True)
    passphrase_wrapped = models.BinaryField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.get_recipient_kind_display()})"

    @property
    def consent_scope(self) -> str:
        return CONSENT_SCOPE[RecipientKind(self.recipient_kind)]

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.BUILT) and self.build_status not in (
            self.BuildStatus.QUEUED,
            self.BuildStatus.RUNNING,
        )
