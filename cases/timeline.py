"""The timeline: one dated happening of a case, of a type that decides which further fields it has.

Which fields belong to which type is declared once, in Event.TYPE_FIELDS: the service clears the
fields of other types on every save (web form and API alike), and the form, the API, the case page,
the dossier and the research export read the same declaration, each field by its kind (field_kind).
Adding a type with fields of its own touches this module, a migration, the catalogue and tests.

Ill-treatment and torture follow what a medical-legal reader needs after the Istanbul Protocol
(Manual on the Effective Investigation and Documentation of Torture, 2022 edition, ch. V-VI):
the methods, the duration, the injuries reported, whether and when a medical examination
happened and by whom, and whether any documentation exists. The account itself (duration,
injuries, what the documentation is) is testimony and sealed; the methods and the kind of
examination are coded, plain, so that they can be counted without decrypting anything.
"""

import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ChoiceLabels, Contact, DatePrecision, Location, Perpetrator, Source
from keys.fields import ProtectedCharField, ProtectedTextField


class IllTreatmentMethod(models.TextChoices):
    """Methods as the Istanbul Protocol groups them (2022 ed., paras. 327-376 and 436-453)."""

    BEATING = "beating", _("Beating or other blunt trauma")
    FALANGA = "falanga", _("Beating of the soles of the feet (falanga)")
    POSITIONAL = "positional", _("Suspension, stress positions or prolonged restraint")
    ELECTRIC = "electric", _("Electric shock")
    ASPHYXIATION = "asphyxiation", _("Asphyxiation (bag, choking, water)")
    BURNS = "burns", _("Burns")
    CUTTING = "cutting", _("Cutting, stabbing or other penetrating injury")
    SEXUAL = "sexual", _("Sexual violence, including rape")
    CHEMICAL = "chemical", _("Chemicals or forced administration of drugs")
    DEPRIVATION = "deprivation", _("Deprivation of food, water, sleep, sanitation or medical care")
    SENSORY = "sensory", _("Hooding, blindfolding, noise or other sensory assault")
    ISOLATION = "isolation", _("Prolonged isolation")
    THREATS = "threats", _("Threats against them or their family, mock execution")
    HUMILIATION = "humiliation", _("Humiliation or forced nudity")
    WITNESSING = "witnessing", _("Made to witness the ill-treatment of others")
    OTHER = "other", _("Other")


class MedicalExam(models.TextChoices):
    NOT_KNOWN = "", _("Not known")
    NONE = "none", _("No examination")
    REFUSED = "refused", _("Asked for, and refused")
    DETENTION = "detention", _("Examined by a detention or police doctor")
    INDEPENDENT = "independent", _("Examined by an independent doctor")
    FORENSIC = "forensic", _("Official forensic examination")


class Documentation(models.TextChoices):
    NOT_KNOWN = "", _("Not known")
    NONE = "none", _("None")
    EXISTS = "exists", _("Yes")


class ChoiceListField(models.JSONField):
    """A list of codes from `item_choices`, each once; a form offers one checkbox a code."""

    def __init__(self, *args, item_choices=None, **kwargs):
        self.item_choices = item_choices  # validation and display only: not part of the migration state
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        options = {"label": capfirst(self.verbose_name), "help_text": self.help_text, "widget": forms.CheckboxSelectMultiple}
        options.update((k, v) for k, v in kwargs.items() if k not in ("form_class", "choices_form_class"))
        return forms.MultipleChoiceField(choices=self.item_choices, required=False, **options)


# The kinds of field an event type may have; each reader (form, API, page, dossier, export) knows how to show each kind.
CHOICE, CHOICE_LIST, DATE, NUMBER, RELATION, LINE, TEXT = "choice", "choice_list", "date", "number", "relation", "line", "text"


def field_kind(field) -> str:
    if isinstance(field, ChoiceListField):
        return CHOICE_LIST
    if field.choices:
        return CHOICE
    if isinstance(field, models.ForeignKey):
        return RELATION
    if isinstance(field, models.DateField):
        return DATE
    if isinstance(field, models.IntegerField):
        return NUMBER
    if isinstance(field, ProtectedCharField) or not isinstance(field, models.TextField):
        return LINE
    return TEXT


@dataclass(frozen=True)
class TypeDetail:
    """One filled-in field of an event's own type, ready to show: its label and its value as text."""

    name: str
    label: str
    text: str
    kind: str

    @property
    def long(self) -> bool:
        return self.kind == TEXT


class Event(ChoiceLabels, models.Model):
    """One dated happening on a case's timeline."""

    class Type(models.TextChoices):
        RECRUITMENT = "recruitment", _("Recruitment approach")
        DETENTION = "detention", _("Detention")
        ILL_TREATMENT = "ill_treatment", _("Ill-treatment or torture")
        COERCION = "coercion", _("Coercion")
        CONTRACT = "contract", _("Contract signing")
        DEPLOYMENT = "deployment", _("Deployment")
        FAMILY_CONTACT = "family_contact", _("Family contact")
        INJURY = "injury", _("Injury")
        DEATH = "death", _("Death")
        MISSING = "missing", _("Missing")
        CHARGES_HOME = "charges_home", _("Charges or warnings at home")

    class CoercionMeans(models.TextChoices):
        NONE = "", _("—")
        PROSECUTION = "prosecution", _("Threat of prosecution")
        DEBT = "debt", _("Debt or fine forgiveness offer")
        DOCUMENTS = "documents", _("Document confiscation")
        PAY_CITIZENSHIP = "pay_citizenship", _("Promise of pay or citizenship")
        VIOLENCE = "violence", _("Violence")
        DEPORTATION = "deportation", _("Threat of deportation")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        NONE = "", _("—")
        PHONE = "phone", _("Phone call")
        MESSENGER = "messenger", _("Messenger")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        THIRD_PARTY = "third_party", _("Through someone else")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, db_index=True)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("The first day of the period the date stands for."))
    date_precision = models.CharField(_("date precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("place")
    )
    description = ProtectedTextField(_("description"), blank=True)
    perpetrators = models.ManyToManyField(Perpetrator, blank=True, related_name="events", verbose_name=_("alleged perpetrators"))
    sources = models.ManyToManyField(Source, blank=True, related_name="events", verbose_name=_("sources"))
    coercion_means = models.CharField(_("coercion means"), max_length=16, choices=CoercionMeans.choices, blank=True)
    # Contract signing.
    signing_authority = models.CharField(_("signing authority"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    contract_term_months = models.PositiveIntegerField(
        _("contract term (months)"), null=True, blank=True, validators=[MaxValueValidator(1200)]
    )
    promised_pay = models.CharField(_("promised pay"), max_length=200, blank=True)
    # Family contact.
    contact_channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    contact_with = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("who was contacted")
    )
    what_was_said = ProtectedTextField(_("what was said"), blank=True)
    # Ill-treatment or torture (Istanbul Protocol).
    ill_treatment_methods = ChoiceListField(
        _("methods"), default=list, blank=True, item_choices=IllTreatmentMethod.choices, help_text=_("Tick every method described.")
    )
    # Sealed fields added after the table had rows are nullable: an old row has no sealed empty value.
    ill_treatment_duration = ProtectedCharField(
        _("duration"), null=True, blank=True, max_length=500, help_text=_("As told, e.g. 'about three hours, repeated over four days'.")
    )
    injuries_reported = ProtectedTextField(
        _("injuries reported"), null=True, blank=True, help_text=_("Injuries, pain and after-effects as the person or witness describes them.")
    )
    medical_exam = models.CharField(_("medical examination"), max_length=12, choices=MedicalExam.choices, blank=True)
    medical_exam_date = models.DateField(_("date of the examination"), null=True, blank=True)
    documentation = models.CharField(
        _("documentation"), max_length=8, choices=Documentation.choices, blank=True,
        help_text=_("Medical or other documentation of what happened."),
    )
    documentation_detail = ProtectedTextField(
        _("what the documentation is"), null=True, blank=True, max_length=5000, help_text=_("e.g. discharge summary, photographs of bruising; who holds it.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    # Which optional fields belong to which type; the fields of the other types are emptied on every save. The one
    # declaration: the form, the API, the case page, the dossier and the research export all read it, and each
    # field's label, help, choices and limits come from the field itself.
    TYPE_FIELDS = {
        Type.COERCION: ("coercion_means",),
        Type.CONTRACT: ("signing_authority", "unit", "contract_term_months", "promised_pay"),
        Type.FAMILY_CONTACT: ("contact_channel", "contact_with", "what_was_said"),
        Type.ILL_TREATMENT: (
            "ill_treatment_methods", "ill_treatment_duration", "injuries_reported",
            "medical_exam", "medical_exam_date", "documentation", "documentation_detail",
        ),
    }

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["case", "date"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.date_display})"

    def clean(self):
        if self.type != self.Type.ILL_TREATMENT:
            return
        methods = self.ill_treatment_methods
        if not isinstance(methods, list) or not set(methods) <= set(IllTreatmentMethod.values) or len(set(methods)) != len(methods):
            raise ValidationError({"ill_treatment_methods": _("Choose methods from the list, each once.")})
        if self.medical_exam_date and self.medical_exam in ("", MedicalExam.NONE, MedicalExam.REFUSED):
            raise ValidationError({"medical_exam_date": _("A date of examination needs an examination.")})

    def clear_fields_of_other_types(self) -> list[str]:
        """Empty the fields that belong to types other than this event's; returns the names emptied."""
        cleared = []
        for owner, names in self.TYPE_FIELDS.items():
            if owner == self.type:
                continue
            for name in names:
                field = self._meta.get_field(name)
                empty = None if field.null else field.get_default()
                if getattr(self, name) in (empty, None, "", []):
                    continue
                setattr(self, name, empty)
                cleared.append(name)
        return cleared

    @classmethod
    def type_fields(cls, kind=None) -> list:
        """The model fields of one type (or of every type, in declaration order)."""
        groups = [cls.TYPE_FIELDS.get(kind, ())] if kind is not None else cls.TYPE_FIELDS.values()
        return [cls._meta.get_field(name) for names in groups for name in names]

    def type_details(self, relation_label=None) -> list[TypeDetail]:
        """The filled-in fields of this event's own type, as label and text (the case page and the dossier).

        `relation_label(pk)` names a related record (the dossier passes its redacted labels); else its str().
        """
        details = []
        for field in self.type_fields(self.type):
            value = getattr(self, field.attname)
            if value in (None, "", []):
                continue
            kind = field_kind(field)
            if kind == CHOICE:
                text = self._get_FIELD_display(field)
            elif kind == CHOICE_LIST:
                labels = dict(field.item_choices)
                text = "; ".join(str(labels.get(code, code)) for code in value)
            elif kind == DATE:
                text = formats.date_format(value, "DATE_FORMAT")
            elif kind == RELATION:
                text = relation_label(value) if relation_label else str(getattr(self, field.name))
            else:
                text = str(value)
            details.append(TypeDetail(name=field.name, label=capfirst(field.verbose_name), text=str(text), kind=kind))
        return details

    @property
    def date_display(self) -> str:
        from cases.dates import format_approximate_date

        return format_approximate_date(self.date, self.date_precision)
