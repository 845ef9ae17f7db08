"""The public report form: plain words, every question skippable except who he is to you and his name.

Choices map to the case model's values (cases/models.py), so triage can turn a report into a case.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(FilesField, self).clean(upload, initial) for upload in files]
        if len(files) > settings.DALIL_INTAKE_MAX_FILES:
            raise forms.ValidationError(_("You can attach at most %(n)s files.") % {"n": settings.DALIL_INTAKE_MAX_FILES})
        for upload in files:
            if upload.size > settings.DALIL_INTAKE_MAX_FILE_BYTES:
                raise forms.ValidationError(_("%(name)s is too large (at most %(mb)s MB).") % {"name": upload.name, "mb": settings.DALIL_INTAKE_MAX_FILE_BYTES // 2**20})
        return files


RELATIONSHIP = [
    ("mother", _("His mother")), ("father", _("His father")), ("spouse", _("His wife")), ("sister", _("His sister")),
    ("brother", _("His brother")), ("child", _("His son or daughter")), ("relative", _("Another relative")),
    ("friend", _("A friend")), ("other", _("Someone else")),
]
NATIONALITY = [("", _("I don't know")), ("UZ", _("Uzbekistan")), ("TJ", _("Tajikistan")), ("KG", _("Kyrgyzstan")),
               ("KZ", _("Kazakhstan")), ("TM", _("Turkmenistan")), ("XX", _("Another country"))]
APPROACH = [
    ("", _("I don't know")), ("prison", _("In prison or in pre-trial detention")), ("migrant_raid", _("He was detained in a raid on migrants")),
    ("debt", _("He was offered to have a debt or fine forgiven")), ("citizenship", _("He was promised citizenship or papers")),
    ("advert", _("Through an advert or a recruiter")), ("deportation", _("He was threatened with deportation")),
]
PRESSURE = [
    ("prosecution", _("Threats of prosecution")), ("violence", _("Beatings or other violence")), ("debt", _("A debt or fine to be forgiven")),
    ("documents", _("His documents were taken")), ("pay_citizenship", _("Promises of money or citizenship")),
]
YES_NO = [("", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))]
WHEREABOUTS = [
    ("unknown", _("I don't know")), ("detention", _("In detention")), ("training", _("In training")), ("front", _("At the front")),
    ("hospital", _("In hospital")), ("captive", _("Taken prisoner")), ("home", _("He came home")), ("missing", _("Missing")), ("dead", _("He died")),
]
CHANNEL = [("", _("Do not contact me")), ("phone", _("Phone call")), ("whatsapp", _("WhatsApp")), ("telegram", _("Telegram")),
           ("signal", _("Signal")), ("email", _("E-mail"))]

TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "required": False}


class ReportForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Who is he to you?"), choices=RELATIONSHIP, widget=forms.RadioSelect)
    name = forms.CharField(label=_("His full name"), max_length=300, help_text=_("In any alphabet, as you write it."))
    birth_date = forms.CharField(label=_("His date of birth"), max_length=40, required=False, help_text=_("A full date, a year, or “about 1990”."))
    nationality = forms.ChoiceField(label=_("His citizenship"), choices=NATIONALITY, required=False)
    home_region = forms.CharField(label=_("His home town or region"), max_length=120, required=False)
    approach = forms.ChoiceField(label=_("How was he approached or detained?"), choices=APPROACH, required=False)
    where_when = forms.CharField(label=_("Where and when did it happen?"), **TEXT)
    pressure = forms.MultipleChoiceField(label=_("Was he pressured? (choose all that apply)"), choices=PRESSURE, required=False, widget=forms.CheckboxSelectMultiple)
    signed = forms.ChoiceField(label=_("Did he sign a contract?"), choices=YES_NO, required=False)
    whereabouts = forms.ChoiceField(label=_("Where is he now?"), choices=WHEREABOUTS, required=False)
    last_contact = forms.CharField(label=_("When and how did you last hear from him?"), **TEXT)
    story = forms.CharField(label=_("Anything else you want us to know"), **TEXT)
    channel = forms.ChoiceField(label=_("May we contact you, and how?"), choices=CHANNEL, required=False)
    contact = forms.CharField(label=_("Your number or address for that"), max_length=200, required=False)
    safe_times = forms.CharField(label=_("When is it safe to contact you?"), max_length=200, required=False)
    avoid = forms.CharField(label=_("Words we should not use, or anything to be careful about"), max_length=300, required=False)
    consent_documentation = forms.BooleanField(label=_("You may keep and use this to document his case."), required=False)
    consent_legal = forms.BooleanField(label=_("You may share it with lawyers who can help him or us."), required=False)
    consent_statistics = forms.BooleanField(label=_("You may count him in anonymous statistics."), required=False)
    files = FilesField(label=_("Photos of documents, letters or voice messages (optional)"), required=False,
                       help_text=_("Photos and audio only. We remove hidden details such as location from them."))

    def clean(self):
        data = super().clean()
        typed = sum(len(str(v)) for v in data.values() if isinstance(v, str))
        if typed > settings.DALIL_INTAKE_MAX_TEXT:
            raise forms.ValidationError(_("Your answers are too long; please shorten them."))
        if data.get("channel") and not (data.get("contact") or "").strip():
            self.add_error("contact", _("Tell us the number or address to use, or choose not to be contacted."))
        return data


class CodenameForm(forms.Form):
    codename = forms.CharField(label=_("Your codename"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}))


class FollowUpForm(CodenameForm):
    codename = forms.CharField(widget=forms.HiddenInput, max_length=200)
    text = forms.CharField(label=_("Add information"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    files = FilesField(label=_("Add files (optional)"), required=False)
