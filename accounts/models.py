from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.roles import role_label


class User(AbstractUser):
    """A person who signs in to Dalil. Roles are the groups caseworker, legal and admin."""

    # Part of the session hash: raising it ends every session of the user on their next
    # request, whatever session backend holds them ("sign out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["username"]
        permissions = [
            ("manage_users", "Can invite and deactivate users and set their roles"),
            ("manage_access", "Can assign cases and grant or revoke access to them"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class UserSession(models.Model):
    """Which stored sessions belong to whom, so that they can be deleted at once."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions")
    created_at = models.DateTimeField(auto_now_add=True)


# django-guardian direct foreign-key permission tables for cases. Unlike the generic
# tables (a varchar object_pk joined through content types) these join Case on its
# primary key, so "the cases this user may see" is one indexed semi-join.
class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission of a user")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case permission of a group")


class EnrolmentLink(models.Model):
    """A one-time link an admin gives a user to set up their first second factor.

    Only its SHA-256 is stored; it expires and works once. Without one (or the first sign-in
    after an invitation), a user who has no factor cannot add one: a stolen password must
    not be enough to enrol the thief's own authenticator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class RoleChangeRequest(models.Model):
    """An admin's change of their own roles, held until a second admin approves (or rejects) it.

    Without it, one admin could give themself the caseworker role and then a case: one person, alone,
    would read what only a case's team should."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_change_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    roles = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    def role_labels(self) -> list[str]:
        """The requested roles by their labels, in the reader's language (accounts/roles.py)."""
        return [str(role_label(name)) for name in self.roles]
