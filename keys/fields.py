"""Model fields that seal identifying and testimonial data (keys/aead.py gives the stored format).

* The protected models use UUID primary keys assigned in Python, so the key is known before the insert.
* Reading: the database value stays sealed until the attribute is first read on the instance
  (a descriptor opens it with the instance's primary key). ``values()``/``values_list()`` return
  ``Sealed`` objects; open one with ``unseal(model, field_name, pk, value)``.
* Writing: ``pre_save`` seals the current value with the row's primary key. ``QuerySet.update()``
  and ``bulk_update()`` cannot know each row's key and raise ``ProtectedFieldError``.
* Querying: every lookup except ``isnull`` raises ``ProtectedFieldError`` naming the blind index to
  use instead (an app registers it with ``register_search_hint``), so no query silently compares
  ciphertexts. Do not order by a protected column either: sort a page after it has been read.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from keys.aead import PREFIX, ProtectedFieldError, ProtectedValueError, Sealed, open_text, seal_text

__all__ = [
    "PREFIX", "ProtectedCharField", "ProtectedDateField", "ProtectedFieldError", "ProtectedMixin", "ProtectedTextField",
    "ProtectedValueError", "Sealed", "register_search_hint", "unseal",
]

# Which blind index answers a question about which field (named in the lookup error); filled by the apps.
_SEARCH_HINTS: dict[str, str] = {}


def register_search_hint(label: str, hint: str) -> None:
    """Name the search to use instead of a lookup on ``label`` ("app.Model.field")."""
    _SEARCH_HINTS[label] = hint


class _Ciphertext(str):
    """A freshly sealed value on its way to the database (only pre_save makes these)."""


def unseal(model, field_name: str, pk, value):
    """Open a value read with values()/values_list(): the model, the field and the row's primary key."""
    field = model._meta.get_field(field_name)
    if not isinstance(value, Sealed):
        return value
    return field.from_plaintext(open_text(value.token, model_label=model._meta.label, field_name=field.name, pk=pk))


class SealedAttribute(DeferredAttribute):
    """Opens the stored value with the instance's own primary key on first read."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            field = self.field
            value = field.from_plaintext(
                open_text(value.token, model_label=field.model._meta.label, field_name=field.name, pk=instance.pk)
            )
            instance.__dict__[field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class ProtectedMixin:
    descriptor_class = SealedAttribute

    def get_internal_type(self):
        return "TextField"

    def from_plaintext(self, text: str):
        return text

    def to_plaintext(self, value) -> str:
        return str(value)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if isinstance(pk, models.OneToOneField):  # the row shares its parent's key (a tombstone): known before the insert
            pk = pk.target_field
        if not (isinstance(pk, models.UUIDField) and pk.has_default()):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label}.{self.name} is protected, so its model needs a UUID primary key with a "
                    "default: the key is part of the associated data and must be known before the insert.",
                    obj=self,
                    id="keys.E101",
                )
            )
        return errors

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        return _Ciphertext(
            seal_text(
                self.to_plaintext(value),
                model_label=self.model._meta.label,
                field_name=self.name,
                pk=model_instance.pk,
            )
        )

    def get_db_prep_save(self, value, connection):
        if value is None or isinstance(value, _Ciphertext):
            return value if value is None else str(value)
        if hasattr(value, "resolve_expression"):
            return value
        raise ProtectedFieldError(
            f"{self.model._meta.label}.{self.name} is encrypted with each row's primary key: set it on the instance "
            "and save() it; QuerySet.update() and bulk_update() cannot seal it."
        )

    def _lookup_error(self, lookup_name: str) -> ProtectedFieldError:
        label = f"{self.model._meta.label}.{self.name}"
        hint = _SEARCH_HINTS.get(label, "decrypt the rows in Python after a query on plain fields")
        return ProtectedFieldError(
            f"{label} is encrypted: the database cannot compare it ('{lookup_name}'). Search {hint} instead."
        )

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._lookup_error(lookup_name)

    def get_transform(self, lookup_name):
        raise self._lookup_error(lookup_name)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else self.to_plaintext(value)


class ProtectedTextField(ProtectedMixin, models.TextField):
    """Free text that identifies someone or records testimony."""


class ProtectedCharField(ProtectedMixin, models.TextField):
    """A short identifying value (a name, a phone number): a one-line input, stored as text so that ciphertext fits."""

    def formfield(self, **kwargs):
        widget = kwargs.get("widget")
        # The admin offers a textarea for every TextField; a name or a phone number is one line.
        if widget is None or (isinstance(widget, type) and issubclass(widget, forms.Textarea)) or isinstance(widget, forms.Textarea):
            kwargs["widget"] = forms.TextInput
        return super().formfield(**kwargs)


class ProtectedDateField(ProtectedMixin, models.DateField):
    """A date that identifies someone (a date of birth): a date everywhere but in the database, where it is sealed."""

    def from_plaintext(self, text: str):
        return datetime.date.fromisoformat(text) if text else None

    def to_plaintext(self, value) -> str:
        return self.to_python(value).isoformat()

    def get_db_prep_value(self, value, connection, prepared=False):
        # Only isnull reaches here from a query; saving goes through get_db_prep_save.
        return value
