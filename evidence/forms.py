"""Validation for evidence forms; the encryption itself happens in the upload handler and services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Event, Source


class UploadForm(forms.Form):
    source_label = forms.CharField(
        label=_("Received from"), max_length=500, required=False,
        help_text=_("Who handed the file over, e.g. 'the person's sister, by messenger'."),
    )
    source = forms.ModelChoiceField(label=_("Source record"), queryset=Source.objects.none(), required=False)
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20_000)

    def __init__(self, *args, sources=None, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources
        if events is not None:
            self.fields["event"].queryset = events


class DestroyForm(forms.Form):
    reason = forms.CharField(label=_("Reason for destruction"), max_length=300)
    confirm = forms.BooleanField(
        label=_("I understand that the file's key and content are destroyed for good; only a record that it existed remains."),
    )
