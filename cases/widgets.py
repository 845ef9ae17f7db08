"""Form widgets of the case pages."""

from django import forms


class Filterable:
    """Native checkboxes or radio buttons with a filter box above them (cases/static/dalil/dalil.js): every
    choice works without JavaScript; with it, typing narrows the list. The class names are Django's, so that
    templates see the same widget_type."""

    class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
        filterable = True

    class RadioSelect(forms.RadioSelect):
        filterable = True
