"""The API tokens page (/api/tokens/): each user issues and revokes their own tokens; an admin may
also revoke anyone's, but issues tokens for nobody else (a token reads as its user)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from accounts.decorators import has_recent_login, redirect_to_reauthenticate
from accounts.roles import is_admin, roles_of
from api import services
from api.forms import TokenIssueForm
from api.models import ApiToken
from common import once
from config.confirm import confirm_step


def _require_role(request) -> None:
    if not roles_of(request.user):
        raise Http404


def _tokens(user):
    tokens = ApiToken.objects.select_related("user", "created_by").order_by("-created_at")
    return (tokens if is_admin(user) else tokens.filter(user=user))[:500]


@never_cache
@login_required
@sensitive_variables("raw")
def token_list(request):
    """List tokens and issue one for oneself after a fresh password; the new token is shown on this response only."""
    _require_role(request)
    form = TokenIssueForm(request.POST or None)
    if request.method != "POST":
        return _token_page(request, form)
    if not has_recent_login(request):
        return redirect_to_reauthenticate(request)

    @sensitive_variables("raw")
    def perform():
        if not form.is_valid():
            return _token_page(request, form, status=400), ""
        token, raw = services.token_issue(
            actor=request.user, user=request.user, scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"], name=form.cleaned_data["name"],
        )
        return _token_page(request, TokenIssueForm(), raw=raw, fresh_token=True), str(token.pk)

    # A second submit of the same form issues no second token; the first one was shown once and stays so.
    return once.run(request, endpoint="api.token_issue", perform=perform, replay=lambda _made: redirect("api_tokens:list"))


@sensitive_variables("raw")
def _token_page(request, form, *, raw=None, status=200, fresh_token=False):
    token = once.new_token() if fresh_token else once.token_for(request)
    context = {"form": form, "tokens": _tokens(request.user), "new_token": raw, "sees_all": is_admin(request.user), "form_token": token}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    """The token's own user, or an admin, revokes it."""
    _require_role(request)
    token = get_object_or_404(_tokens_revocable_by(request.user), pk=token_id)
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


def _tokens_revocable_by(user):
    return ApiToken.objects.all() if is_admin(user) else ApiToken.objects.filter(user=user)
