"""Validation only: what the assessment and referral pages accept."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import LEGAL
from referrals.models import PALERMO_ELEMENTS, Redaction, Referral, RecipientKind, Strength
from common.widgets import DayInput


class VersionField(forms.IntegerField):
    """The version of the record the form was read from (0: none yet); a save from an older one is refused."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, **kwargs)


def advance_version(form, version: int) -> None:
    """After a refused save: the form keeps what was typed and now carries the stored version."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


class ItemForm(forms.Form):
    version = VersionField()
    options = forms.MultipleChoiceField(label=_("Forms found"), required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, kind: str, code: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == "element":
            self.fields["options"].choices = PALERMO_ELEMENTS[code][1]
        else:
            del self.fields["options"]


class LinkForm(forms.Form):
    target = forms.ChoiceField(label=_("Supported by"))
    strength = forms.ChoiceField(label=_("Strength"), choices=Strength.choices)
    note = forms.CharField(label=_("Why it supports it"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, events, sources, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {}
        choices = [("", "—")]
        for prefix, label, objs in (("event", _("Events"), events), ("source", _("Sources"), sources), ("file", _("Evidence files"), files)):
            group = []
            for obj in objs:
                key = f"{prefix}:{obj.pk}"
                self.targets[key] = (prefix, obj)
                group.append((key, _target_label(prefix, obj)))
            if group:
                choices.append((str(label), group))
        self.fields["target"].choices = choices

    def clean_target(self):
        value = self.cleaned_data["target"]
        if value not in self.targets:
            raise forms.ValidationError(_("Choose an event, source or evidence file of this case."))
        return self.targets[value]


def _target_label(prefix, obj) -> str:
    if prefix == "event":
        return f"{obj.date_display} — {obj.get_type_display()}"
    if prefix == "source":
        return f"{obj.title} ({obj.get_kind_display()})"
    return f"{obj.original_name} ({obj.sha256[:12]}…)"


class ConclusionForm(forms.Form):
    version = VersionField()
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)


class ReviewRequestForm(forms.Form):
    note = forms.CharField(label=_("What should legal look at?"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    legal_user = forms.ModelChoiceField(
        label=_("Legal colleague"), required=False, queryset=get_user_model().objects.none(),
        empty_label=_("All legal staff"), help_text=_("A sensitive case can only be shared with a named colleague."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_user"].queryset = get_user_model().objects.filter(groups__name=LEGAL, is_active=True).order_by("username")


class ReferralForm(forms.Form):
    recipient_name = forms.CharField(label=_("Recipient organisation"), max_length=200)
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=RecipientKind.choices)
    recipient_age_key = forms.CharField(
        label=_("Recipient's age public key (optional)"), required=False, max_length=100,
        help_text=_("age1… The package is then encrypted to the recipient's own key: no passphrase to pass on."),
    )
    purpose = forms.CharField(label=_("Purpose of the referral"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    person_redaction = forms.ChoiceField(label=_("Redaction: the person"), choices=Redaction.choices, initial=Redaction.PSEUDONYM)
    family_redaction = forms.ChoiceField(label=_("Redaction: the family"), choices=Redaction.choices, initial=Redaction.PSEUDONYM)
    sources_redaction = forms.ChoiceField(label=_("Redaction: the sources"), choices=Redaction.choices, initial=Redaction.PSEUDONYM)
    pseudonym = forms.CharField(label=_("Pseudonym for the person"), max_length=60, initial="Person A")
    include_assessment = forms.BooleanField(label=_("Include the trafficking assessment"), required=False, initial=True)
    events = forms.MultipleChoiceField(label=_("Events"), required=False, widget=forms.CheckboxSelectMultiple)
    contacts = forms.MultipleChoiceField(label=_("Contacts"), required=False, widget=forms.CheckboxSelectMultiple)
    files = forms.MultipleChoiceField(label=_("Evidence files"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {}
        for name, objs, label in (
            ("events", choices["events"], lambda e: f"{e.date_display} — {e.get_type_display()}"),
            ("contacts", choices["contacts"], lambda c: f"{c.name} ({c.get_relationship_display()})"),
            ("files", choices["files"], lambda f: f"{f.original_name} ({f.media_type}, {f.size} B)"),
        ):
            self.objects[name] = {str(o.pk): o for o in objs}
            self.fields[name].choices = [(str(o.pk), label(o)) for o in objs]

    def selected(self, name: str) -> list:
        return [self.objects[name][pk] for pk in self.cleaned_data.get(name, [])]

    def referral_data(self) -> dict:
        keys = ("recipient_name", "recipient_kind", "recipient_age_key", "purpose", "person_redaction", "family_redaction", "sources_redaction", "pseudonym", "include_assessment")
        return {k: self.cleaned_data[k] for k in keys}


class SentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DayInput())
    channel = forms.ChoiceField(label=_("Sent by"), choices=Referral.Channel.choices)

    def clean_sent_on(self):
        value = self.cleaned_data["sent_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class AcknowledgedForm(forms.Form):
    acknowledged_on = forms.DateField(label=_("Acknowledged on"), widget=DayInput())


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DayInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    outcome_note = forms.CharField(label=_("Outcome note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
