"""Validation of what caseworkers type. Forms check; services write.

Every text field is capped at settings.DALIL_MAX_TEXT_LENGTH so that an oversized
paste is a form error (400, nothing saved) and never a half-written record. Edit
forms are bound to a copy of the record: the service compares the stored record
with the cleaned values to name the changed fields in the audit log.
"""

import copy
import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from cases import dates
from cases.models import Case, Consent, Contact, Event, Location, Perpetrator, Person, Source
from cases.timeline import DATE, TEXT, field_kind
from cases.widgets import Filterable

DATE_HELP = _("As far as it is known: 12.03.2024, 03.2024 or 2024 (or 2024-03-12); “about 06.2023” if unsure; empty if unknown.")


def working_copy(obj):
    """A copy of a record for a form to write its cleaned values into, leaving the original untouched."""
    return copy.copy(obj)


class DalilFormMixin:
    """Site-wide text cap and widget touches shared by every form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.DALIL_MAX_TEXT_LENGTH
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and (field.max_length is None or field.max_length > limit):
                # No maxlength attribute: a browser would silently cut testimony short.
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 4)

    def _approximate_date(self, name: str) -> tuple[datetime.date | None, str] | None:
        """Parse the text field `name` with its `<name>_approximate` checkbox; None after adding an error."""
        text = self.cleaned_data.get(name) or ""
        approximate = bool(self.cleaned_data.get(f"{name}_approximate"))
        try:
            return dates.parse_approximate_date(text, approximate=approximate)
        except dates.DateParseError as exc:
            self.add_error(name, str(exc))
            return None


class VersionedFormMixin:
    """A hidden `version`: the version of the record when this form was read. The service refuses the
    save if the record has moved on since (cases.services.StaleEdit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def read_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def advance_version(self, version: int) -> None:
        """After a refused save: the form keeps what was typed and now carries the stored version."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


def _model_values(form: forms.ModelForm, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- Person and case -------------------------------------------------------


class PersonForm(DalilFormMixin, forms.ModelForm):
    birth_date = forms.CharField(label=_("Date of birth"), required=False, help_text=DATE_HELP)
    birth_date_approximate = forms.BooleanField(label=_("The date of birth is approximate"), required=False)

    class Meta:
        model = Person
        fields = ["name_latin", "name_cyrillic", "aliases", "sex", "nationality", "status_in_russia", "home_region"]

    field_order = [
        "name_latin", "name_cyrillic", "aliases", "sex", "birth_date", "birth_date_approximate",
        "nationality", "status_in_russia", "home_region",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        if person.pk and not self.is_bound:
            self.initial["birth_date"] = dates.approximate_date_input(person.birth_date, person.birth_date_precision)
            self.initial["birth_date_approximate"] = person.birth_date_precision == dates.APPROXIMATE

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name_latin") or "").strip() and not (cleaned.get("name_cyrillic") or "").strip():
            self.add_error("name_latin", _("Give the person's name in Latin or Cyrillic script (or both)."))
        parsed = self._approximate_date("birth_date")
        if parsed is not None:
            self.instance.birth_date, self.instance.birth_date_precision = parsed
            cleaned["birth_date_value"], cleaned["birth_date_precision"] = parsed
        return cleaned

    def service_data(self) -> dict:
        data = _model_values(self, self.Meta.fields)
        data["birth_date"] = self.cleaned_data["birth_date_value"]
        data["birth_date_precision"] = self.cleaned_data["birth_date_precision"]
        return data


class CaseForm(VersionedFormMixin, DalilFormMixin, forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "status", "closure_reason", "pathway", "whereabouts", "whereabouts_detail",
            "risk_family_charges", "risk_reprisal", "risk_urgent_medical", "is_sensitive", "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Case.Status.CLOSED and not cleaned.get("closure_reason"):
            self.add_error("closure_reason", _("Say why the case is closed."))
        elif cleaned.get("status") not in (None, Case.Status.CLOSED):
            cleaned["closure_reason"] = ""  # a reopened case has no reason for closing
        return cleaned

    def service_data(self) -> dict:
        return _model_values(self, self.Meta.fields)


# --- Contacts ----------------------------------------------------------------


class ContactForm(VersionedFormMixin, DalilFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name", "relationship", "relationship_detail", "is_reporter",
            "phone", "messenger", "address", "safe_contact_notes", "consents_to_contact",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "safe_contact_notes": forms.Textarea(attrs={"rows": 3})}

    def service_data(self) -> dict:
        return _model_values(self, self.Meta.fields)


class FirstContactForm(ContactForm):
    """The reporter on the intake page: optional, but complete when any of it is given.

    No field is marked required (the section is optional); once anything is typed or chosen, the name
    and the relationship are asked for, and the page comes back with what was typed."""

    _SIGNS_OF_INPUT = ("name", "relationship", "relationship_detail", "phone", "messenger", "address", "safe_contact_notes")
    _NEEDED = {"name": _("Give the contact's name, or leave this whole section empty."),
               "relationship": _("Say who they are to the person, or leave this whole section empty.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contact")
        kwargs.setdefault("initial", {"is_reporter": True})
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def provided(self) -> bool:
        if not self.is_bound:
            return False
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in self._SIGNS_OF_INPUT)

    def clean(self):
        cleaned = super().clean()
        for name, message in self._NEEDED.items():
            if not (cleaned.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, message)
        return cleaned


# --- Events -------------------------------------------------------------------


def _type_widgets() -> dict:
    """Widgets for the fields of event types, by the kind of each field (Event.TYPE_FIELDS)."""
    by_kind = {TEXT: lambda: forms.Textarea(attrs={"rows": 3}), DATE: dates.DayInput}
    return {f.name: by_kind[field_kind(f)]() for f in Event.type_fields() if field_kind(f) in by_kind}


class EventForm(VersionedFormMixin, DalilFormMixin, forms.ModelForm):
    date = forms.CharField(label=_("Date"), required=False, help_text=DATE_HELP)
    date_approximate = forms.BooleanField(label=_("The date is approximate"), required=False)

    new_location_name = forms.CharField(label=_("Name of the new place"), required=False, max_length=200)
    new_location_kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices, initial=Location.Kind.FACILITY, required=False)
    new_location_facility_type = forms.ChoiceField(label=_("Facility type"), choices=Location.FacilityType.choices, required=False)
    new_location_city = forms.CharField(label=_("City"), required=False, max_length=120)
    new_location_region = forms.CharField(label=_("Region"), required=False, max_length=120)
    new_location_country = forms.CharField(label=_("Country"), required=False, max_length=120, initial="Russia")

    new_perpetrator_name = forms.CharField(label=_("Name of the new alleged perpetrator"), required=False, max_length=200)
    new_perpetrator_kind = forms.ChoiceField(label=_("Kind"), choices=Perpetrator.Kind.choices, initial=Perpetrator.Kind.INSTITUTION, required=False)
    new_perpetrator_rank = forms.CharField(label=_("Rank or position"), required=False, max_length=120)

    new_source_title = forms.CharField(label=_("Title of the new source"), required=False, max_length=200,
                                       help_text=_("A short label, e.g. 'Sister's call, 3 May'."))
    new_source_kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices, initial=Source.Kind.FAMILY, required=False)
    new_source_reliability = forms.ChoiceField(
        label=_("Reliability"), choices=Source.Reliability.choices, initial=Source.Reliability.UNVERIFIED, required=False
    )
    new_source_description = forms.CharField(label=_("What it says"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    COMMON_FIELDS = ("type", "location", "description", "perpetrators", "sources")

    class Meta:
        model = Event
        fields = ["type", "location", "description", "perpetrators", "sources",
                  *(name for names in Event.TYPE_FIELDS.values() for name in names)]
        widgets = {
            "type": forms.Select(attrs={"data-event-type-select": "true"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "perpetrators": Filterable.CheckboxSelectMultiple,
            "location": Filterable.RadioSelect,
            "sources": forms.CheckboxSelectMultiple,
            **_type_widgets(),
        }

    field_order = ["type", "date", "date_approximate"]

    def __init__(self, *args, sources, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        # Places and perpetrators are shared records, counted across cases; sources and
        # contacts are this case's own, as the caller's selectors returned them.
        self.fields["location"].queryset = Location.objects.order_by("country", "region", "name")
        self.fields["location"].required = False
        self.fields["location"].empty_label = _("No place given")
        self.fields["perpetrators"].queryset = Perpetrator.objects.order_by("kind", "name")
        self.fields["perpetrators"].required = False
        self.fields["sources"].queryset = sources
        self.fields["sources"].required = False
        self.fields["contact_with"].queryset = contacts
        if event.pk and not self.is_bound:
            self.initial["date"] = dates.approximate_date_input(event.date, event.date_precision)
            self.initial["date_approximate"] = event.date_precision == dates.APPROXIMATE

    def clean(self):
        cleaned = super().clean()
        parsed = self._approximate_date("date")
        if parsed is not None:
            self.instance.date, self.instance.date_precision = parsed
            cleaned["date_value"], cleaned["date_precision"] = parsed

        if (cleaned.get("new_location_name") or "").strip():
            if cleaned.get("location"):
                self.add_error("new_location_name", _("Choose an existing place or create a new one, not both."))
            if not cleaned.get("new_location_kind"):
                self.add_error("new_location_kind", _("Say what kind of place it is."))
        if (cleaned.get("new_perpetrator_name") or "").strip() and not cleaned.get("new_perpetrator_kind"):
            self.add_error("new_perpetrator_kind", _("Say what kind of perpetrator it is."))
        if (cleaned.get("new_source_description") or "").strip() and not (cleaned.get("new_source_title") or "").strip():
            self.add_error("new_source_title", _("Give the new source a title."))
        return cleaned

    def new_location_data(self) -> dict | None:
        name = self.cleaned_data.get("new_location_name", "").strip()
        if not name:
            return None
        return {
            "name": name,
            "kind": self.cleaned_data["new_location_kind"],
            "facility_type": self.cleaned_data.get("new_location_facility_type", ""),
            "city": self.cleaned_data.get("new_location_city", "").strip(),
            "region": self.cleaned_data.get("new_location_region", "").strip(),
            "country": self.cleaned_data.get("new_location_country", "").strip() or "Russia",
        }

    def new_source_data(self) -> dict | None:
        title = self.cleaned_data.get("new_source_title", "").strip()
        if not title:
            return None
        return {
            "title": title,
            "kind": self.cleaned_data.get("new_source_kind") or Source.Kind.OTHER,
            "reliability": self.cleaned_data.get("new_source_reliability") or Source.Reliability.UNVERIFIED,
            "description": self.cleaned_data.get("new_source_description", "").strip(),
        }

    def new_perpetrator_data(self) -> dict | None:
        name = self.cleaned_data.get("new_perpetrator_name", "").strip()
        if not name:
            return None
        return {"kind": self.cleaned_data["new_perpetrator_kind"], "name": name, "rank": self.cleaned_data.get("new_perpetrator_rank", "").strip()}

    def type_sections(self) -> list[dict]:
        """The fieldsets of the types that have fields of their own, as Event.TYPE_FIELDS declares them."""
        return [{"type": str(kind), "legend": kind.label, "fields": [self[name] for name in names]}
                for kind, names in Event.TYPE_FIELDS.items()]

    def service_data(self) -> dict:
        """The common fields and those of the chosen type; the service empties the other types' fields."""
        own = Event.TYPE_FIELDS.get(self.cleaned_data.get("type"), ())
        names = [n for n in (*self.COMMON_FIELDS, *own) if n not in ("perpetrators", "sources")]
        data = _model_values(self, names)
        data["date"] = self.cleaned_data["date_value"]
        data["date_precision"] = self.cleaned_data["date_precision"]
        return data


# --- Sources and consent --------------------------------------------------------


class SourceForm(VersionedFormMixin, DalilFormMixin, forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "kind", "reliability", "contact", "description", "url", "received_on"]
        widgets = {"received_on": dates.DayInput()}

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].help_text = _("If a contact of this case gave the information.")

    def clean_received_on(self):
        value = self.cleaned_data.get("received_on")
        if value and value > datetime.date.today() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def service_data(self) -> dict:
        return _model_values(self, self.Meta.fields)


class ConsentForm(DalilFormMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "given_by", "contact", *Consent.SCOPES, "given_on", "method", "notes",
        ]
        widgets = {"given_on": dates.DayInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label = _("Contact who gave consent")
        self.fields["contact"].help_text = _("Only when consent was given by a contact.")
        if not self.is_bound:
            self.initial.setdefault("given_on", datetime.date.today())

    def clean(self):
        cleaned = super().clean()
        given_by = cleaned.get("given_by")
        if given_by == Consent.GivenBy.CONTACT and not cleaned.get("contact"):
            self.add_error("contact", _("Choose the contact who gave consent."))
        if given_by == Consent.GivenBy.PERSON:
            cleaned["contact"] = None
            self.instance.contact = None
        given_on = cleaned.get("given_on")
        if given_on and given_on > datetime.date.today() + datetime.timedelta(days=1):
            self.add_error("given_on", _("The date is in the future."))
        return cleaned

    def service_data(self) -> dict:
        return _model_values(self, self.Meta.fields)
