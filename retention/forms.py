from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from retention.services import MAX_DAYS


class PolicyForm(forms.Form):
    """One field per case status: days kept after the last change; empty keeps cases of that status without limit."""

    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for status, label in Case.Status.choices:
            self.fields[status] = forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_DAYS, initial=current.get(status))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ExtendForm(ReasonForm):
    until = forms.DateField(label=_("Keep until"), widget=forms.DateInput(attrs={"type": "date"}))


class ConfirmForm(ReasonForm):
    confirmation = forms.CharField(
        label=_("Type the references of the cases to destroy, one per line"), widget=forms.Textarea(attrs={"rows": 3}),
    )

    def typed(self) -> set[str]:
        return {line.strip().upper() for line in self.cleaned_data["confirmation"].replace(",", "\n").splitlines() if line.strip()}
