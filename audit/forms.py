from django import forms
from django.utils.translation import gettext_lazy as _
from audit.sentences import action_choices
from common.widgets import DayInput


def _action_choices():
    return [("", _("Anything"))] + action_choices()


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("What happened"), required=False, choices=_action_choices)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=32)
    date_from = forms.DateField(label=_("From"), required=False, widget=DayInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DayInput())
    before = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data.get("user") or "",
            "action": data.get("action") or "",
            "case_ref": data.get("case") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
