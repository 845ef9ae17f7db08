import json

from django import forms
from django.utils.translation import gettext_lazy as _

from patterns.estimation.sources import STRATA

MAX_EXPORT_BYTES = 20 * 2**20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class EstimateForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Published lists")
    )
    include_cases = forms.BooleanField(required=False, label=_("Dalil's own cases (those you may see)"))
    stratum = forms.ChoiceField(
        required=False, label=_("One estimate per"),
        choices=[("", _("— all together —")), ("nationality", _("nationality")), ("region", _("region")), ("period", _("year"))],
    )
    exports = MultipleFileField(required=False, label=_("Coalition exports (optional)"))
    secret = forms.CharField(
        required=False, strip=False, widget=forms.PasswordInput, label=_("Coalition secret"),
        help_text=_("Needed with coalition exports: our lists are encoded with it and linked by their encodings."),
    )

    def __init__(self, *args, lists_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = lists_queryset

    def clean_exports(self):
        out = []
        for f in self.cleaned_data.get("exports") or []:
            if f.size > MAX_EXPORT_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 20 MB.") % {"name": f.name})
            try:
                data = json.loads(f.read().decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise forms.ValidationError(_("%(name)s is not a coalition export (JSON).") % {"name": f.name}) from None
            if not isinstance(data, dict) or "records" not in data:
                raise forms.ValidationError(_("%(name)s is not a coalition export.") % {"name": f.name})
            data["label"] = f.name.rsplit(".", 1)[0][:40]
            out.append(data)
        return out

    def clean(self):
        data = super().clean()
        n = len(data.get("lists") or []) + int(bool(data.get("include_cases"))) + len(data.get("exports") or [])
        if not 2 <= n <= 6:
            raise forms.ValidationError(_("Choose two to six lists in all (you chose %(n)s).") % {"n": n})
        if data.get("exports") and len(data.get("secret") or "") < 16:
            self.add_error("secret", _("Give the coalition's secret (at least 16 characters) to link with its exports."))
        if data.get("exports") and data.get("stratum"):
            self.add_error("stratum", _("Encoded exports carry no groups to split by; estimate all together."))
        return data


assert set(dict(EstimateForm.base_fields["stratum"].choices)) - {""} == set(STRATA)  # noqa: S101 - one list of strata
