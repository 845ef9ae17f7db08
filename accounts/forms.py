import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLES, role_choices

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


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
