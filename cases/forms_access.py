"""The forms of the case-access pages of the manage site (cases/views_access.py): assignments, grants, sharing."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import CASEWORKER, LEGAL

User = get_user_model()


class ReferencesField(forms.CharField):
    """Case references separated by spaces, commas or new lines."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        value = super().to_python(value)
        return [ref for ref in re.split(r"[\s,;]+", value.upper()) if ref]


class AssignmentForm(forms.Form):
    ACTIONS = [("assign", _("Assign")), ("unassign", _("Unassign"))]

    user = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none())
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    cases = forms.MultipleChoiceField(label=_("Cases"), required=False, widget=forms.CheckboxSelectMultiple)
    references = ReferencesField(label=_("Or type references"), required=False)

    def __init__(self, *args, case_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True, groups__name=CASEWORKER).order_by("username")
        self.fields["cases"].choices = case_choices

    def clean(self):
        data = super().clean()
        refs = list(data.get("cases") or []) + list(data.get("references") or [])
        if not refs:
            raise forms.ValidationError(_("Choose at least one case."))
        data["all_references"] = sorted(set(refs))
        return data


class CaseAccessForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign caseworker")),
        ("unassign", _("Remove all access of this person")),
        ("share_legal", _("Share with this legal user")),
        ("share_legal_all", _("Share with all legal staff")),
        ("unshare_legal_all", _("Stop sharing with all legal staff")),
        ("self_grant", _("Grant myself read access")),
        ("sensitive_on", _("Mark sensitive")),
        ("sensitive_off", _("Mark not sensitive")),
    ]
    NEEDS_USER = {"assign", "unassign", "share_legal"}

    action = forms.ChoiceField(choices=ACTIONS)
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in self.NEEDS_USER and not data.get("user"):
            self.add_error("user", _("Choose a person."))
        return data


class ShareWithLegalForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Legal staff member"), queryset=User.objects.none(), required=False,
        help_text=_("Leave empty to share with all legal staff (not possible for a sensitive case)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True, groups__name=LEGAL).order_by("username")
