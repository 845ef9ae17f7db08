"""Model fields for identifying and testimonial data.

Placeholders for now: they behave as ordinary text and date fields and mark which
columns hold protected data. The protected-fields work (issue 6) turns them into
sealed AES-256-GCM fields without changing the models that use them.
"""

import datetime

from django.db import models


class ProtectedTextField(models.TextField):
    """Free text that identifies someone or records testimony."""


class ProtectedCharField(models.TextField):
    """A short identifying value (a name, a phone number). Stored as text so that ciphertext fits."""

    def formfield(self, **kwargs):
        from django import forms

        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class ProtectedDateField(models.TextField):
    """A date that identifies someone (a date of birth). Stored as text so that ciphertext fits."""

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value in (None, "") or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value.isoformat() if value else None

    def formfield(self, **kwargs):
        from django import forms

        return forms.DateField(required=not self.blank, label=self.verbose_name.capitalize(), help_text=self.help_text)
