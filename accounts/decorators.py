import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.signals import AUTH_AT_SESSION_KEY


def has_recent_login(request, minutes: int | None = None) -> bool:
    minutes = settings.DALIL_RECENT_LOGIN_MINUTES if minutes is None else minutes
    at = request.session.get(AUTH_AT_SESSION_KEY)
    return at is not None and time.time() - float(at) < minutes * 60


def redirect_to_reauthenticate(request):
    """Ask for the password again, then come back: to this page after a GET, to the page the form
    was on after a POST (a POST cannot be replayed; they submit again)."""
    back = request.get_full_path()
    if request.method != "GET":
        referer = request.META.get("HTTP_REFERER", "")
        back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}) else reverse("accounts:account")
    return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")


def recent_login_required(view=None, *, minutes: int | None = None):
    """The view needs a password typed within the last DALIL_RECENT_LOGIN_MINUTES (changing access, exporting).

    Otherwise the user is asked for it again and sent back (redirect_to_reauthenticate).
    """

    def decorator(view_func):
        @wraps(view_func)
        @login_required
        def wrapper(request, *args, **kwargs):
            if has_recent_login(request, minutes):
                return view_func(request, *args, **kwargs)
            return redirect_to_reauthenticate(request)

        return wrapper

    return decorator(view) if view is not None else decorator


def _permission_required(perm: str):
    def decorator(view_func):
        @wraps(view_func)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_active and request.user.has_perm(perm)):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator


# Admin pages: others get 403 (these pages are no secret; what a case holds is).
manage_users_required = _permission_required("accounts.manage_users")
manage_access_required = _permission_required("accounts.manage_access")
