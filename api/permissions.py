from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken


class TokenScope(permissions.BasePermission):
    """A token is required; a read token may only read, an intake token may also create."""

    message = _("This token is read-only: creating needs a token with the intake scope.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return token.can_write


def may_open_cases(user) -> bool:
    """Opening a case is intake work: a role carrying cases.add_case (caseworker; accounts.roles)."""
    return user.has_perm("cases.add_case")
