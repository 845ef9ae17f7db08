"""Serializer fields the API shares, and the fields of event types built from their one declaration.

An event type's fields are declared once, in Event.TYPE_FIELDS; each field's choices, limits, label and help come
from the model field itself, so adding a type with its own fields changes nothing here.
"""

from django.core.validators import MaxValueValidator
from rest_framework import serializers

from api.pagination import DB_INT_MAX
from cases.models import Event
from cases.timeline import CHOICE, CHOICE_LIST, DATE, NUMBER, RELATION, TEXT, field_kind

# Free text without a limit of its own in the model: the API's bound on one request's text.
TEXT_MAX = 20_000


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean where the schema says text is refused (DRF would quietly turn it into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _largest(field) -> int:
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return min([*limits, DB_INT_MAX])


def _output(field) -> serializers.Field:
    kind, help_text = field_kind(field), field.help_text or None
    if kind == CHOICE:
        return serializers.ChoiceField(choices=field.choices, help_text=help_text)
    if kind == CHOICE_LIST:
        return serializers.ListField(child=serializers.ChoiceField(choices=field.item_choices), help_text=help_text)
    if kind == DATE:
        return serializers.DateField(allow_null=True, help_text=help_text)
    if kind == NUMBER:
        return serializers.IntegerField(allow_null=True, help_text=help_text)
    if kind == RELATION:
        pk = field.related_model._meta.pk
        id_field = serializers.UUIDField if pk.get_internal_type() == "UUIDField" else serializers.IntegerField
        return id_field(source=field.attname, allow_null=True, help_text=help_text)
    return serializers.CharField(allow_null=field.null, help_text=help_text)


def _input(field) -> serializers.Field | None:
    kind, options = field_kind(field), {"required": False, "help_text": field.help_text or None}
    if kind == CHOICE:
        return serializers.ChoiceField(choices=field.choices, allow_blank=True, **options)
    if kind == CHOICE_LIST:
        child = serializers.ChoiceField(choices=field.item_choices)
        return serializers.ListField(child=child, max_length=len(field.item_choices), **options)
    if kind == DATE:
        return serializers.DateField(allow_null=True, **options)
    if kind == NUMBER:
        return serializers.IntegerField(allow_null=True, min_value=0, max_value=_largest(field), **options)
    if kind == RELATION:
        return None  # a record of the case (e.g. who was contacted) is chosen on the web form; the API shows its id
    limit = field.max_length or (TEXT_MAX if kind == TEXT else 500)
    return StrictCharField(allow_blank=True, max_length=limit, **options)


def event_type_fields(*, output: bool) -> dict[str, serializers.Field]:
    """One serializer field for each field of each event type, in the order Event.TYPE_FIELDS declares them."""
    fields = {}
    for field in Event.type_fields():
        built = _output(field) if output else _input(field)
        if built is not None:
            fields[field.name] = built
    return fields


class EventTypeFieldsMixin:
    """Adds the fields of every event type after `description` (the fields a type does not own are emptied on save)."""

    type_fields_output = True

    def get_fields(self):
        fields, ordered = super().get_fields(), {}
        for name, field in fields.items():
            ordered[name] = field
            if name == "description":
                ordered.update(event_type_fields(output=self.type_fields_output))
        return ordered
