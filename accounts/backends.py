from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from common.compiled import PLACEHOLDER_INT, Compiled


def _user_with_roles(*, user_id):
    from accounts.otp import enrolment_annotations
    from accounts.roles import role_annotations

    return get_user_model()._default_manager.annotate(**role_annotations(), **enrolment_annotations()).filter(pk=user_id)


def _permissions_of(*, user_id):
    return Permission.objects.filter(Q(user=user_id) | Q(group__user=user_id)).values_list("content_type__app_label", "codename").order_by()


# Run on every request of a signed-in session: compiled once per process (common/compiled.py).
USER_WITH_ROLES = Compiled(_user_with_roles, user_id=PLACEHOLDER_INT)
PERMISSIONS_OF = Compiled(_permissions_of, user_id=PLACEHOLDER_INT)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in made from a request.

    Calls without a request (Django's test client, management commands) have no client
    address to count and no web attacker behind them; they skip the lockout check rather
    than fail, and the password is still checked by ModelBackend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class UserBackend(ModelBackend):
    """Django's ModelBackend, whose get_user (run on every request of a signed-in session) also brings the
    user's roles and whether a second factor is enrolled, in the same query: the second-factor gate and
    the navigation ask them on every page. Both are read fresh on each request, as before."""

    def get_user(self, user_id):
        from accounts.roles import remember_roles

        try:
            found = USER_WITH_ROLES.objects(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        if not found:
            return None
        user = found[0]
        remember_roles(user)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """ModelBackend's answer (the user's own model permissions and those of their groups) in one query
        instead of two; remembered on this request's user object, as ModelBackend does."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                rows = PERMISSIONS_OF.rows(user_id=user_obj.pk)
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
