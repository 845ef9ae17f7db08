from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Event, Nationality
from patterns import stats
from patterns.lists import FIELDS, REQUIRED
from patterns.models import SourceList
from common.widgets import DayInput

FIELD_LABELS = {
    "full_name": _("Full name"), "birth_date": _("Date of birth"), "region": _("Region"), "nationality": _("Nationality"),
    "unit": _("Unit"), "contract_date": _("Contract date"), "source": _("Source"), "source_url": _("Source URL or citation"),
}


def _blank(choices):
    return [("", _("All"))] + [(k, v) for k, v in choices if k != ""]


class FilterForm(forms.Form):
    measure = forms.ChoiceField(label=_("Count"), choices=list(stats.MEASURES.items()), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=list(stats.PERIODS.items()), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_blank(Nationality.choices), required=False)
    pathway = forms.ChoiceField(label=_("Recruitment pathway"), choices=_blank(Case.Pathway.choices), required=False)
    status = forms.ChoiceField(label=_("Case status"), choices=_blank(Case.Status.choices), required=False)
    event_type = forms.ChoiceField(label=_("Event type"), choices=_blank(Event.Type.choices), required=False)
    coercion_means = forms.ChoiceField(label=_("Coercion means"), choices=_blank(Event.CoercionMeans.choices), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    date_from = forms.DateField(label=_("Events from"), required=False, widget=DayInput())
    date_to = forms.DateField(label=_("Events to"), required=False, widget=DayInput())

    def filters(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("nationality", "pathway", "status", "event_type", "coercion_means", "region", "date_from", "date_to") if data.get(k)}


class SourceListForm(forms.ModelForm):
    class Meta:
        model = SourceList
        fields = ["title", "publisher", "url", "published_on", "description"]
        widgets = {"published_on": DayInput(), "description": forms.Textarea(attrs={"rows": 3})}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class MappingForm(forms.Form):
    def __init__(self, *args, columns: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [(c, c) for c in columns]
        for fld in FIELDS:
            self.fields[fld] = forms.ChoiceField(
                label=FIELD_LABELS[fld], choices=choices, required=fld in REQUIRED, initial=initial_mapping.get(fld, "")
            )

    def mapping(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v}
