"""What the API shows and accepts. Protected fields are declared explicitly, so the schema
does not depend on how the protected-fields work stores them."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import EventTypeFieldsMixin, StrictCharField
from api.pagination import DB_INT_MAX
from cases.closure import ClosureReason
from cases.dates import DateParseError, format_approximate_date, parse_approximate_date
from cases.models import Case, Contact, DatePrecision, Event, Nationality, Person, Source


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.SerializerMethodField()
    name_latin = serializers.CharField()
    name_cyrillic = serializers.CharField()
    aliases = serializers.CharField()
    sex = serializers.ChoiceField(choices=Person.Sex.choices)
    birth_date = serializers.DateField(allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    birth_date_display = serializers.SerializerMethodField()
    nationality = serializers.ChoiceField(choices=Nationality.choices)
    status_in_russia = serializers.ChoiceField(choices=Person.StatusInRussia.choices)
    home_region = serializers.CharField()
    version = serializers.IntegerField()

    def get_case(self, person) -> str:
        return person.case.reference

    def get_birth_date_display(self, person) -> str:
        return str(format_approximate_date(person.birth_date, person.birth_date_precision))


class CaseSummarySerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Case.Status.choices)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True)
    pathway = serializers.ChoiceField(choices=Case.Pathway.choices)
    whereabouts = serializers.ChoiceField(choices=Case.Whereabouts.choices)
    person_name = serializers.SerializerMethodField()
    nationality = serializers.CharField(source="person.nationality")
    is_sensitive = serializers.BooleanField()
    risk_flags = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_person_name(self, case) -> str:
        return case.person.display_name


class CaseSerializer(CaseSummarySerializer):
    person = PersonSerializer()
    whereabouts_detail = serializers.CharField()
    risk_family_charges = serializers.BooleanField()
    risk_reprisal = serializers.BooleanField()
    risk_urgent_medical = serializers.BooleanField()
    notes = serializers.CharField()
    contacts = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text=_("Also the ETag; covers the person too."))

    def get_contacts(self, case) -> int:
        return case.contacts.count()


class LocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField()


class PerpetratorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.CharField()


class EventSerializer(EventTypeFieldsMixin, serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.CharField(source="case.reference")
    type = serializers.ChoiceField(choices=Event.Type.choices)
    date = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    date_display = serializers.CharField()
    location = LocationSerializer(allow_null=True)
    description = serializers.CharField()
    perpetrators = PerpetratorSerializer(many=True)
    sources = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text=_("Also the ETag."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_sources(self, event) -> list[str]:
        return [str(s.pk) for s in event.sources.all()]


class SourceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.CharField(source="case.reference")
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    reliability = serializers.ChoiceField(choices=Source.Reliability.choices)
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()
    received_on = serializers.DateField(allow_null=True)
    contact = serializers.UUIDField(source="contact_id", allow_null=True)
    version = serializers.IntegerField(help_text=_("Also the ETag."))
    created_at = serializers.DateTimeField()


# --- Input -----------------------------------------------------------------

# The schema's pattern: dates every check accepts (from 1900, never in the future, days that every month has). The
# API also refuses other spellings (12.03.2024, "about 2024") that the web forms take: its one form is ISO's.
DATE_PATTERN = r"^$|^(19\d\d|20[01]\d|202[0-5])(-(0[1-9]|1[0-2])(-(0[1-9]|1\d|2[0-8]))?)?$"
ISO_SHAPE = re.compile(r"\d{4}(-\d{1,2}(-\d{1,2})?)?")


@extend_schema_field({"type": "string", "maxLength": 10, "pattern": DATE_PATTERN})
class ApproximateDateField(serializers.CharField):
    """'2024', '2024-03' or '2024-03-12'."""

    default_error_messages = {"date": _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if text and not ISO_SHAPE.fullmatch(text):
            self.fail("date")
        return text


def _parse_date(attrs: dict, field: str, approximate_field: str) -> tuple:
    text = attrs.pop(field, "") or ""
    approximate = attrs.pop(approximate_field, False)
    try:
        return parse_approximate_date(text, approximate=approximate)
    except DateParseError as exc:
        raise serializers.ValidationError({field: [str(exc)]}) from None


class PersonInputSerializer(serializers.Serializer):
    name_latin = StrictCharField(required=False, allow_blank=True, max_length=200)
    name_cyrillic = StrictCharField(required=False, allow_blank=True, max_length=200)
    aliases = StrictCharField(required=False, allow_blank=True, max_length=500)
    sex = serializers.ChoiceField(choices=Person.Sex.choices, required=False)
    birth_date = ApproximateDateField(help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    birth_date_approximate = serializers.BooleanField(required=False, default=False)
    nationality = serializers.ChoiceField(choices=Nationality.choices)
    status_in_russia = serializers.ChoiceField(choices=Person.StatusInRussia.choices, required=False)
    home_region = StrictCharField(required=False, allow_blank=True, max_length=120)

    def validate(self, attrs):
        if not (attrs.get("name_latin", "").strip() or attrs.get("name_cyrillic", "").strip()):
            raise serializers.ValidationError({"name_latin": [_("Enter the name in Latin or Cyrillic script.")]})
        date, precision = _parse_date(attrs, "birth_date", "birth_date_approximate")
        attrs["birth_date"], attrs["birth_date_precision"] = date, precision
        return attrs


class ContactInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    relationship = serializers.ChoiceField(choices=Contact.Relationship.choices)
    relationship_detail = StrictCharField(required=False, allow_blank=True, max_length=80)
    is_reporter = serializers.BooleanField(required=False, default=True)
    phone = StrictCharField(required=False, allow_blank=True, max_length=40)
    messenger = StrictCharField(required=False, allow_blank=True, max_length=120)
    address = StrictCharField(required=False, allow_blank=True, max_length=1000)
    safe_contact_notes = StrictCharField(required=False, allow_blank=True, max_length=2000)
    consents_to_contact = serializers.BooleanField(required=False, default=False)


class CaseFieldsSerializer(serializers.Serializer):
    """The case's own fields, each optional, as a new case or a change gives them."""

    pathway = serializers.ChoiceField(choices=Case.Pathway.choices, required=False)
    whereabouts = serializers.ChoiceField(choices=Case.Whereabouts.choices, required=False)
    whereabouts_detail = StrictCharField(required=False, allow_blank=True, max_length=5000)
    risk_family_charges = serializers.BooleanField(required=False)
    risk_reprisal = serializers.BooleanField(required=False)
    risk_urgent_medical = serializers.BooleanField(required=False)
    notes = StrictCharField(required=False, allow_blank=True, max_length=20_000)


class CaseCreateSerializer(CaseFieldsSerializer):
    person = PersonInputSerializer()
    contact = ContactInputSerializer(required=False, help_text=_("The reporter or relative who brought the case."))
    contacts = ContactInputSerializer(many=True, required=False, help_text=_("More contacts, if there are several."))
    is_sensitive = serializers.BooleanField(required=False)

    def validate_contacts(self, value):
        if len(value) > 20:
            raise serializers.ValidationError(_("At most 20 contacts at once."))
        return value


class EventCreateSerializer(EventTypeFieldsMixin, serializers.Serializer):
    type_fields_output = False

    type = serializers.ChoiceField(choices=Event.Type.choices)
    date = ApproximateDateField(help_text=_("YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown"))
    date_approximate = serializers.BooleanField(required=False, default=False)
    location = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=DB_INT_MAX, help_text=_("A place id"))
    description = StrictCharField(required=False, allow_blank=True, max_length=20_000)
    sources = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=50)
    perpetrators = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=DB_INT_MAX), required=False, max_length=50)

    def validate(self, attrs):
        date, precision = _parse_date(attrs, "date", "date_approximate")
        attrs["date"], attrs["date_precision"] = date, precision
        return attrs


# --- Changes (PATCH, with If-Match) ---------------------------------------------
# Only the fields sent are changed; the service refuses the change if the ETag is stale.


class PersonUpdateSerializer(PersonInputSerializer):
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False)
    birth_date = ApproximateDateField(help_text=_("YYYY, YYYY-MM or YYYY-MM-DD; sent empty to clear"))
    birth_date_approximate = serializers.BooleanField(required=False)

    def validate(self, attrs):
        person = self.context["person"]
        names = [attrs.get(name, getattr(person, name)) for name in ("name_latin", "name_cyrillic")]
        if not any((name or "").strip() for name in names):
            raise serializers.ValidationError({"name_latin": [_("Enter the name in Latin or Cyrillic script.")]})
        if "birth_date" in attrs or "birth_date_approximate" in attrs:
            attrs["birth_date"], attrs["birth_date_precision"] = _parse_date(attrs, "birth_date", "birth_date_approximate")
        return attrs


class CaseUpdateSerializer(CaseFieldsSerializer):
    person = PersonUpdateSerializer(required=False, help_text=_("The fields of the person to change; one of the two names must remain."))
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True)

    def validate(self, attrs):
        # A PATCH without a status is judged against the case's status now (context "status").
        status, touched = attrs.get("status", self.context.get("status")), {"status", "closure_reason"} & set(attrs)
        if status == Case.Status.CLOSED and touched and not attrs.get("closure_reason"):
            raise serializers.ValidationError({"closure_reason": [_("Say why the case is closed.")]})
        if status != Case.Status.CLOSED and attrs.get("closure_reason") and "status" not in attrs:
            raise serializers.ValidationError({"closure_reason": [_("Only a closed case has a reason for closing.")]})
        if status != Case.Status.CLOSED and touched:
            attrs["closure_reason"] = ""  # a reopened case has no reason for closing
        return attrs


class EventUpdateSerializer(EventCreateSerializer):
    type = serializers.ChoiceField(choices=Event.Type.choices, required=False)
    date_approximate = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if "date" in attrs or "date_approximate" in attrs:
            attrs["date"], attrs["date_precision"] = _parse_date(attrs, "date", "date_approximate")
        return attrs


class SourceUpdateSerializer(serializers.Serializer):
    title = StrictCharField(required=False, max_length=200)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    reliability = serializers.ChoiceField(choices=Source.Reliability.choices, required=False)
    description = StrictCharField(required=False, allow_blank=True, max_length=20_000)
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    received_on = serializers.DateField(required=False, allow_null=True)


class CaseFilterSerializer(serializers.Serializer):
    """The web case list's filters."""

    query = StrictCharField(required=False, allow_blank=True, max_length=200, help_text=_("Reference or name, in either script"))
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False, allow_blank=True)
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False, allow_blank=True)
    pathway = serializers.ChoiceField(choices=Case.Pathway.choices, required=False, allow_blank=True)
    event_type = serializers.ChoiceField(choices=Event.Type.choices, required=False, allow_blank=True)


class PersonFilterSerializer(serializers.Serializer):
    query = StrictCharField(required=False, allow_blank=True, max_length=200, help_text=_("Name in either script, or reference"))
    nationality = serializers.ChoiceField(choices=Nationality.choices, required=False, allow_blank=True)


class CasePlainFilterSerializer(CaseFilterSerializer):
    """The filters a URL may carry: all but the search text (POST it to cases/search/)."""

    query = None


class PersonPlainFilterSerializer(PersonFilterSerializer):
    """The filters a URL may carry: all but the search text (POST it to persons/search/)."""

    query = None


@extend_schema_field({"type": "string", "format": "binary"})
class BinaryField(serializers.Field):
    """A file part; the encrypting upload handler has already sealed it, so nothing is read here."""

    def to_internal_value(self, data):
        if data is None or data == "":
            self.fail("required")
        return data

    def to_representation(self, value):
        return None


class EvidenceFileSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case = StrictCharField(source="case.reference")
    original_name = StrictCharField()
    size = serializers.IntegerField()
    sha256 = StrictCharField()
    received_at = serializers.DateTimeField()
    received_by = StrictCharField(source="received_by_label")
    source_label = StrictCharField()
    description = StrictCharField()
    method = StrictCharField()
    claimed_type = StrictCharField()
    sniffed_type = StrictCharField()
    state = StrictCharField()
    progress = serializers.IntegerField()
    integrity_ok = serializers.BooleanField(allow_null=True)
    integrity_checked_at = serializers.DateTimeField(allow_null=True)
    destroyed_at = serializers.DateTimeField(allow_null=True)
    event = serializers.UUIDField(source="event_id", allow_null=True)
    source = serializers.UUIDField(source="source_id", allow_null=True)


class CustodyEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = StrictCharField(source="actor_label")
    action = StrictCharField()
    sha256 = StrictCharField()
    working_copy = serializers.UUIDField(source="working_copy_id", allow_null=True)
    detail = serializers.DictField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = BinaryField(help_text=_("The file, as a multipart/form-data part named 'file'."))
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text=_("The SHA-256 of the file as computed by the client (hex)."))
    description = StrictCharField(required=False, allow_blank=True, max_length=5000)
    source_label = StrictCharField(required=False, allow_blank=True, max_length=500)
    source = serializers.UUIDField(required=False, allow_null=True)
    event = serializers.UUIDField(required=False, allow_null=True)
