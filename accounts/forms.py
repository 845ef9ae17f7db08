import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import CASEWORKER, LEGAL, ROLES, role_choices

User = get_user_model()

class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", role_choices)  # read when a form is made: accounts/roles.py
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Roles"))
        super().__init__(**kwargs)


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    roles = RolesField()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[\w.@+-]+", username):
            raise forms.ValidationError(_("Letters, digits and @/./+/-/_ only."))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class RolesForm(forms.Form):
    roles = RolesField()

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if any(r not in ROLES for r in roles):
            raise forms.ValidationError(_("Unknown role."))
        return roles


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


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
