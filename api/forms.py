from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services import max_days


class TokenIssueForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=90)
    name = forms.CharField(label=_("Label"), max_length=80, required=False, help_text=_("What the token is for, e.g. 'Bishkek intake phone'."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = max_days()
        self.fields["days"].validators.append(forms.IntegerField(max_value=max_days()).validators[-1])
