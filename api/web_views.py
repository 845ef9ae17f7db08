"""The admin page that issues and revokes API tokens (/api/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from accounts.roles import is_admin
from api import services
from api.forms import TokenIssueForm
from api.models import ApiToken
from config.confirm import confirm_step


def _require_admin(request) -> None:
    if not is_admin(request.user):
        raise Http404


def _tokens():
    return ApiToken.objects.select_related("user", "created_by").order_by("-created_at")[:500]


@never_cache
@login_required
@sensitive_variables("raw")
def token_list(request):
    """List tokens and issue one; the new token is shown on this response only, never stored or redirected."""
    _require_admin(request)
    raw = None
    status = 200
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            token, raw = services.token_issue(
                actor=request.user, user=form.cleaned_data["user"], scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"], name=form.cleaned_data["name"],
            )
            form = TokenIssueForm()
        else:
            status = 400
    return render(request, "api/tokens.html", {"form": form, "tokens": _tokens(), "new_token": raw}, status=status)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    _require_admin(request)
    token = get_object_or_404(ApiToken, pk=token_id)
    what = {"prefix": token.prefix, "name": token.user.get_username()}
    if page := confirm_step(
        request, title=_("Revoke token %(prefix)s…?") % what, button=_("Revoke the token"),
        consequence=_("Every program that uses token %(prefix)s… of %(name)s is refused from now on; a new token must be issued to replace it.") % what,
        back=reverse("api_tokens:list"),
    ):
        return page
    if services.token_revoke(actor=request.user, token=token):
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens:list")
