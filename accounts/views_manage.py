"""Admin pages (/manage/): users and their roles, second factors and sessions.

The case-access pages of the same site (assignments, who has access to a case and why) are cases'
(cases/views_access.py); a user's page shows the cases they are assigned to through accounts/sections.py.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import factors, otp, services
from accounts.decorators import manage_users_required, recent_login_required
from accounts.forms import InviteForm, RolesForm
from accounts.models import RoleChangeRequest
from accounts.roles import roles_of
from accounts.sections import user_sections
from audit.selectors import denial_alerts_for
from common import once
from config.confirm import confirm_step

User = get_user_model()


@manage_users_required
def users(request):
    people = User.objects.prefetch_related("groups").order_by("username")
    return render(request, "accounts/manage/users.html", {"people": people})


@manage_users_required
@recent_login_required
def user_invite(request):
    form = InviteForm(request.POST or None)
    page = {"form": form, "form_token": once.token_for(request)}
    if request.method != "POST":
        return render(request, "accounts/manage/invite.html", page)

    def perform():
        # Checked inside: a second submit of the same form is shown the user it made, not "username taken".
        if not form.is_valid():
            return render(request, "accounts/manage/invite.html", page, status=400), ""
        user, path = services.user_invite(
            actor=request.user,
            username=form.cleaned_data["username"],
            roles=form.cleaned_data["roles"],
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        link = request.build_absolute_uri(path)
        return render(request, "accounts/manage/invited.html", {"invited": user, "link": link}), str(user.pk)

    def replay(user_id: str):
        return redirect("manage:user_detail", pk=int(user_id)) if user_id else redirect("manage:users")

    return once.run(request, endpoint="manage.user_invite", perform=perform, replay=replay)


@manage_users_required
def user_detail(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    sections = user_sections(request.user, person)
    return render(
        request,
        "accounts/manage/user_detail.html",
        {
            "person": person,
            "roles_form": RolesForm(initial={"roles": sorted(roles_of(person))}),
            "sections": sections,
            "role_requests": RoleChangeRequest.objects.filter(user=person, decided_at__isnull=True),
            "enrolled": otp.is_enrolled(person),
            "has_key": otp.has_security_key(person),
            **denial_alerts_for(request.user, person),
        },
    )


@require_POST
@manage_users_required
@recent_login_required
def user_roles(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/manage/user_detail.html",
            {"person": person, "roles_form": form, **denial_alerts_for(request.user, person)}, status=400,
        )
    try:
        if person.pk == request.user.pk:
            services.role_change_request(actor=request.user, roles=form.cleaned_data["roles"])
            messages.info(request, _("A change to your own roles waits for another admin's approval."))
            return redirect("manage:user_detail", pk=pk)
        change = services.user_set_roles(actor=request.user, user=person, roles=form.cleaned_data["roles"])
    except services.AccountError as exc:
        messages.error(request, str(exc))
        return redirect("manage:user_detail", pk=pk)
    messages.success(request, _("Roles saved (added: %(added)s; removed: %(removed)s).") % {
        "added": ", ".join(change["added"]) or "—", "removed": ", ".join(change["removed"]) or "—"})
    return redirect("manage:user_detail", pk=pk)


@require_POST
@manage_users_required
@recent_login_required
def user_enrolment_link(request, pk: int):
    """Issue a one-time link for the user to set up their first second factor; shown on this response only."""
    person = get_object_or_404(User, pk=pk, is_active=True)
    link = request.build_absolute_uri(factors.enrolment_link_issue(actor=request.user, user=person))
    response = render(request, "accounts/manage/enrolment_link.html", {"person": person, "link": link})
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@manage_users_required
@recent_login_required
def user_factors_reset(request, pk: int):
    """Remove a user's second factors (lost phone, no backup codes); they enrol again from a new link."""
    person = get_object_or_404(User, pk=pk)
    try:
        factors.factors_reset(actor=request.user, user=person)
    except factors.FactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s's second factors are removed and their sessions ended. Issue them an enrolment link.") % {"name": person.get_username()})
    return redirect("manage:user_detail", pk=pk)


@require_POST
@manage_users_required
@recent_login_required
def role_change_decide(request, pk: int, request_id: int):
    """Another admin approves or rejects an admin's request to change their own roles."""
    change_request = get_object_or_404(RoleChangeRequest, pk=request_id, user_id=pk)
    try:
        services.role_change_decide(actor=request.user, request=change_request, approve=request.POST.get("decision") == "approve")
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("manage:user_detail", pk=pk)


def _user_action(request, pk: int, service, done_message: str):
    person = get_object_or_404(User, pk=pk)
    try:
        service(actor=request.user, user=person)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message % {"name": person.get_username()})
    if person.pk == request.user.pk and service is services.user_sign_out_everywhere:
        logout(request)
        return redirect("accounts:login")
    return redirect("manage:user_detail", pk=pk)


@require_POST
@manage_users_required
@recent_login_required
def user_deactivate(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    name = {"name": person.get_username()}
    page = confirm_step(
        request, title=_("Deactivate %(name)s?") % name, button=_("Deactivate %(name)s") % name,
        consequence=_("%(name)s is signed out on every device at once and cannot sign in until the account is reactivated. Their cases, records and audit trail stay as they are.") % name,
        undo=_("You can undo this: the account's page has a Reactivate button."), back=reverse("manage:user_detail", kwargs={"pk": pk}),
    )
    return page or _user_action(request, pk, services.user_deactivate, _("%(name)s is deactivated and signed out everywhere. Reactivate below to undo."))


@require_POST
@manage_users_required
@recent_login_required
def user_reactivate(request, pk: int):
    return _user_action(request, pk, services.user_reactivate, _("%(name)s can sign in again."))


@require_POST
@manage_users_required
@recent_login_required
def user_sign_out(request, pk: int):
    return _user_action(request, pk, services.user_sign_out_everywhere, _("%(name)s is signed out on every device."))
