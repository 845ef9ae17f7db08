"""Form widgets shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DayInput(forms.DateInput):
    """A date typed as text (12.03.2024 or 2024-03-12), not the browser's picker with its US-style order."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": _("DD.MM.YYYY"), "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%d.%m.%Y")
