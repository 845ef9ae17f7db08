"""The documentation model: a case about one person, a timeline of events, their sources.

It follows the HURIDOCS events methodology (who, what, when, where, according to whom),
fitted to coerced military recruitment. Protected* fields hold identifying or
testimonial data (docs/data-protection.md); everything else stays plain so that
counting a pattern needs no decryption.
"""

import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.closure import ClosureReason
from keys.fields import ProtectedCharField, ProtectedDateField, ProtectedTextField


class ChoiceLabels:
    """get_FOO_display() as one dictionary lookup. Django's own rebuilds a dictionary of every choice on each
    call and hashes each lazily translated label, which translates it: some 850 catalogue lookups on
    one page of the case list. Here each field's labels are translated once per language (they are the code's
    own words, never a record's), so each row shows them in the language of the request that shows it."""

    _choice_labels: dict = {}

    def _get_FIELD_display(self, field):
        key = (field, get_language())
        labels = ChoiceLabels._choice_labels.get(key)
        if labels is None:
            labels = ChoiceLabels._choice_labels[key] = {make_hashable(v): str(label) for v, label in field.flatchoices}
        value = getattr(self, field.attname)
        label = labels.get(make_hashable(value))
        return label if label is not None else force_str(value, strings_only=True)


class Nationality(models.TextChoices):
    UZBEKISTAN = "UZ", _("Uzbekistan")
    TAJIKISTAN = "TJ", _("Tajikistan")
    KYRGYZSTAN = "KG", _("Kyrgyzstan")
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    TURKMENISTAN = "TM", _("Turkmenistan")
    OTHER = "XX", _("Other")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    APPROXIMATE = "approximate", _("Approximate")
    UNKNOWN = "unknown", _("Unknown")


class Location(models.Model):
    """A place, reusable across cases so that a facility's pattern can be counted."""

    class Kind(models.TextChoices):
        FACILITY = "facility", _("Facility")
        CITY = "city", _("City or town")
        REGION = "region", _("Region")
        COUNTRY = "country", _("Country")

    class FacilityType(models.TextChoices):
        NONE = "", _("—")
        SIZO = "sizo", _("Pre-trial detention centre (SIZO)")
        POLICE = "police", _("Police station")
        COLONY = "colony", _("Penal colony")
        MIGRATION = "migration", _("Migration centre or deportation facility")
        RECRUITMENT = "recruitment", _("Military recruitment point")
        MILITARY = "military", _("Military base or training ground")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FACILITY)
    facility_type = models.CharField(_("facility type"), max_length=16, choices=FacilityType.choices, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120, default="Russia")

    class Meta:
        ordering = ["country", "region", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "city", "region", "country"], name="location_unique_place")]

    def __str__(self) -> str:
        parts = [self.name] + [p for p in (self.city, self.region, self.country) if p and p != self.name]
        return ", ".join(parts)


class Perpetrator(models.Model):
    """An alleged perpetrator: an institution, a unit or a named official. Reusable across cases."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Institution")
        UNIT = "unit", _("Military unit")
        OFFICIAL = "official", _("Named official")
        UNKNOWN = "unknown", _("Unidentified")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    rank = models.CharField(_("rank or position"), max_length=120, blank=True)
    institution = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("institution")
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name", "rank"], name="perpetrator_unique")]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}".strip() if self.rank else self.name


class Person(ChoiceLabels, models.Model):
    """The subject of a case."""

    class Sex(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")
        UNKNOWN = "u", _("Unknown")

    class StatusInRussia(models.TextChoices):
        MIGRANT = "migrant", _("Labour migrant")
        DETAINEE = "detainee", _("Convict or detainee")
        STUDENT = "student", _("Student")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name_latin = ProtectedCharField(_("name (Latin script)"), blank=True)
    name_cyrillic = ProtectedCharField(_("name (Cyrillic script)"), blank=True)
    aliases = ProtectedCharField(_("aliases"), blank=True, help_text=_("Other spellings or names, separated by commas."))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = ProtectedDateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    nationality = models.CharField(_("nationality"), max_length=2, choices=Nationality.choices, db_index=True)
    status_in_russia = models.CharField(
        _("status in Russia"), max_length=10, choices=StatusInRussia.choices, default=StatusInRussia.UNKNOWN
    )
    home_region = models.CharField(_("home region"), max_length=120, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_latin and self.name_cyrillic:
            return f"{self.name_latin} ({self.name_cyrillic})"
        return self.name_latin or self.name_cyrillic or str(_("(name not recorded)"))


class Case(ChoiceLabels, models.Model):
    """One person's case."""

    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ACTIVE = "active", _("Active")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    class Pathway(models.TextChoices):
        PRISON = "prison", _("Recruited in prison or pre-trial detention")
        MIGRANT_RAID = "migrant_raid", _("Detained in a migrant raid")
        DEBT = "debt", _("Offered debt or fine forgiveness")
        CITIZENSHIP = "citizenship", _("Promised citizenship or papers")
        ADVERT = "advert", _("Responded to an advert or recruiter")
        DEPORTATION = "deportation", _("Threatened with deportation")
        UNKNOWN = "unknown", _("Unknown")

    class Whereabouts(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        DETENTION = "detention", _("In detention")
        TRAINING = "training", _("In training")
        FRONT = "front", _("At the front")
        HOSPITAL = "hospital", _("In hospital")
        CAPTIVE = "captive", _("Prisoner of war")
        HOME = "home", _("Returned home")
        MISSING = "missing", _("Missing")
        DEAD = "dead", _("Dead")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INTAKE, db_index=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True,
                                      help_text=_("Asked for when the case is closed."))
    pathway = models.CharField(
        _("recruitment pathway"), max_length=16, choices=Pathway.choices, default=Pathway.UNKNOWN, db_index=True
    )
    whereabouts = models.CharField(
        _("current known whereabouts"), max_length=12, choices=Whereabouts.choices, default=Whereabouts.UNKNOWN
    )
    whereabouts_detail = ProtectedTextField(_("whereabouts detail"), blank=True)
    risk_family_charges = models.BooleanField(_("family faces mercenary charges or pressure at home"), default=False)
    risk_reprisal = models.BooleanField(_("risk of reprisal against the reporter"), default=False)
    risk_urgent_medical = models.BooleanField(_("urgent medical need"), default=False)
    is_sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Only the named assignees may see a sensitive case.")
    )
    notes = ProtectedTextField(_("notes"), blank=True)
    # Raised by every saved change to the case or its person; an edit made from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("download_evidence", "Can download evidence of the case"),
            ("prepare_referral", "Can prepare a referral for the case"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def risk_flags(self) -> list[str]:
        flags = []
        for name in ("risk_family_charges", "risk_reprisal", "risk_urgent_medical"):
            if getattr(self, name):
                flags.append(str(self._meta.get_field(name).verbose_name))
        return flags


class CaseCounter(models.Model):
    """The last reference number issued in a year; locked while a new one is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class CaseAssignment(models.Model):
    """Why a user may work on a case. The grant itself is a django-guardian object permission."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments")
    reason = models.CharField(max_length=32, default="assigned")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="assignment_unique")]


class Contact(ChoiceLabels, models.Model):
    """A reporter or relative: who they are to the person and how to reach them safely."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        SISTER = "sister", _("Sister")
        BROTHER = "brother", _("Brother")
        TWIN = "twin", _("Twin")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        RELATIVE = "relative", _("Other relative")
        FRIEND = "friend", _("Friend")
        LAWYER = "lawyer", _("Lawyer")
        SELF = "self", _("The person themself")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    name = ProtectedCharField(_("name"))
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    relationship_detail = models.CharField(_("relationship detail"), max_length=80, blank=True, help_text=_("e.g. twin brother"))
    is_reporter = models.BooleanField(_("reported the case"), default=False)
    phone = ProtectedCharField(_("phone"), blank=True)
    messenger = ProtectedCharField(_("messenger handle"), blank=True)
    address = ProtectedTextField(_("address"), blank=True)
    safe_contact_notes = ProtectedTextField(_("how to reach them safely"), blank=True)
    consents_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_reporter", "created_at"]

    def __str__(self) -> str:
        return self.name


class Source(ChoiceLabels, models.Model):
    """Where information came from (HURIDOCS 'information')."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family account")
        PERSON = "person", _("The person themself")
        DOCUMENT = "document", _("Document")
        MEDIA = "media", _("Media report")
        OFFICIAL_LIST = "official_list", _("Official or published list")
        WITNESS = "witness", _("Other witness")
        OTHER = "other", _("Other")

    class Reliability(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed by other sources")
        RELIABLE = "reliable", _("Usually reliable")
        UNVERIFIED = "unverified", _("Not yet verified")
        DOUBTFUL = "doubtful", _("Doubtful")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reliability = models.CharField(_("reliability"), max_length=12, choices=Reliability.choices, default=Reliability.UNVERIFIED)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources", verbose_name=_("contact")
    )
    # A label and a link can name the person ("Rustam's sister, 3 May", a news article's address): both sealed.
    title = ProtectedCharField(_("title"), max_length=200, help_text=_("A short label, e.g. 'Sister's call, 3 May'."))
    description = ProtectedTextField(_("description"), blank=True)
    url = ProtectedCharField(_("URL or citation"), blank=True, max_length=500, validators=[URLValidator()])
    received_on = models.DateField(_("received on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Consent(ChoiceLabels, models.Model):
    """What the person or a reporter agreed to. The newest record for a case is in force."""

    class GivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        CONTACT = "contact", _("A contact")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Signed form")
        RECORDED = "recorded", _("Audio or video recording")
        VERBAL = "verbal", _("Verbal, noted by the caseworker")
        MESSAGE = "message", _("Written message")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=8, choices=GivenBy.choices)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents")
    documentation = models.BooleanField(_("documentation of the case"), default=False)
    share_lawyers = models.BooleanField(_("sharing with lawyers"), default=False)
    share_authorities = models.BooleanField(_("sharing with prosecutors and authorities"), default=False)
    share_un = models.BooleanField(_("sharing with UN mechanisms"), default=False)
    share_partners = models.BooleanField(_("sharing with partner organisations"), default=False)
    publication = models.BooleanField(_("publication"), default=False)
    statistics = models.BooleanField(_("anonymised statistics"), default=False)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how recorded"), max_length=10, choices=Method.choices)
    notes = ProtectedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    SCOPES = ("documentation", "share_lawyers", "share_authorities", "share_un", "share_partners", "publication", "statistics")

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_given_by_display()}, {self.given_on}"

    @property
    def scopes(self) -> list[str]:
        return [name for name in self.SCOPES if getattr(self, name)]


class PersonIndexEntry(models.Model):
    """One blind-index value of a person: a truncated HMAC of a normalised name token or of the date of birth."""

    class Index(models.TextChoices):
        NAME = "person_name", _("name token")
        BIRTH_DATE = "person_birth_date", _("date of birth")
        # A reporter's name finds the case's person: entries point at the person, keyed apart from NAME.
        REPORTER_NAME = "reporter_name", _("reporter's name token")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="index_entries")
    index = models.CharField(max_length=20, choices=Index.choices)
    value = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "value", "person"], name="person_index_entry_unique")]


# The timeline's event model lives in its own module (its types and their fields are a subject of their own).
from cases.timeline import Event  # noqa: E402,F401
