"""Admin pages (/manage/): users, roles, assignments and who has access to a case and why.

Admins see case references and flags here, never case content: reading a case needs a
per-case grant like anyone else (an admin may grant themself one; it is audited).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import factors, otp, services
from accounts.decorators import manage_access_required, manage_users_required, recent_login_required
from accounts.forms import AssignmentForm, CaseAccessForm, InviteForm, RolesForm, ShareWithLegalForm
from accounts.models import RoleChangeRequest
from accounts.roles import roles_of
from audit.selectors import denial_alerts_for
from cases import access
from cases.models import Case
from cases.sections import access_sections
from cases.selectors import assignments_of_user, case_get_for, cases_for_access_management
from common import once
from config.confirm import confirm_step

User = get_user_model()
PAGE_SIZE = 50


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
    assignments = assignments_of_user(request.user, person=person)
    return render(
        request,
        "accounts/manage/user_detail.html",
        {
            "person": person,
            "roles_form": RolesForm(initial={"roles": sorted(roles_of(person))}),
            "assignments": assignments,
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


def _case_page(request):
    cases = cases_for_access_management(request.user, reference=request.GET.get("ref", "").strip().upper())
    return Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))


@manage_access_required
@recent_login_required
def assignments(request):
    """Assign or unassign a caseworker on one case or many at once (references only, no content)."""
    page = _case_page(request)
    choices = [(c.reference, c.reference) for c in page]
    form = AssignmentForm(request.POST or None, case_choices=choices if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        # Posted references may come from another page of the list: accept any existing reference.
        form.fields["cases"].choices = [(r, r) for r in request.POST.getlist("cases")]
        if form.is_valid():
            refs = form.cleaned_data["all_references"]
            cases = list(access.cases_by_reference_for_management(refs))
            missing = sorted(set(refs) - {c.reference for c in cases})
            if missing:
                form.add_error("references", _("No case with reference %(refs)s.") % {"refs": ", ".join(missing)})
            else:
                user = form.cleaned_data["user"]
                try:
                    if form.cleaned_data["action"] == "assign":
                        changed = access.case_assign(actor=request.user, user=user, cases=cases)
                    elif page_ := _confirm_unassign(request, user, [c.reference for c in cases]):
                        return page_
                    else:
                        changed = access.case_unassign(actor=request.user, user=user, cases=cases)
                except access.AccessError as exc:
                    form.add_error("user", str(exc))
                else:
                    messages.success(request, ngettext("%(count)s case changed for %(name)s.", "%(count)s cases changed for %(name)s.", len(changed)) % {"count": len(changed), "name": user.get_username()})
                    return redirect("manage:assignments")
        status = 400
    return render(request, "accounts/manage/assignments.html", {"form": form, "page": page, "ref": request.GET.get("ref", "")}, status=status)


def _confirm_unassign(request, user, references: list[str]):
    """The confirmation page before a person loses every grant on these cases, or None once confirmed."""
    what = {"name": user.get_username(), "refs": ", ".join(references), "count": len(references)}
    return confirm_step(
        request, title=_("Remove all access of %(name)s?") % what, button=_("Remove all access of %(name)s") % what,
        consequence=ngettext(
            "%(name)s loses every grant on %(refs)s at once and can no longer open it, unless another rule still lets them.",
            "%(name)s loses every grant on these %(count)s cases at once (%(refs)s) and can no longer open them, unless another rule still lets them.",
            len(references)) % what,
        undo=_("You can assign them again later; the audit log keeps both changes."), back=request.path,
    )


def _managed_case(reference: str) -> Case:
    case = access.cases_by_reference_for_management([reference]).first()
    if case is None:
        raise Http404("No such case.")
    return case


@manage_access_required
def case_access(request, reference: str):
    """Who has access to this case and why."""
    case = _managed_case(reference)
    return render(
        request,
        "accounts/manage/case_access.html",
        {"case": case, "rows": access.case_access_report(case), "form": CaseAccessForm(), "people": User.objects.filter(is_active=True).order_by("username"),
         "access_sections": access_sections(request.user, case)},
    )


@require_POST
@manage_access_required
@recent_login_required
def case_access_change(request, reference: str):
    case = _managed_case(reference)
    form = CaseAccessForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/manage/case_access.html",
            {"case": case, "rows": access.case_access_report(case), "form": form, "people": User.objects.filter(is_active=True)},
            status=400,
        )
    action, user, actor = form.cleaned_data["action"], form.cleaned_data.get("user"), request.user
    if action == "unassign" and (page := _confirm_unassign(request, user, [case.reference])):
        return page
    if action == "unshare_legal_all" and (page := confirm_step(
        request, title=_("Stop sharing %(ref)s with all legal staff?") % {"ref": case.reference}, button=_("Stop sharing"),
        consequence=_("Legal staff who see %(ref)s only through the sharing with all of them lose access at once; those named on the case keep it.") % {"ref": case.reference},
        back=reverse("manage:case_access", kwargs={"reference": case.reference}), undo=_("You can share it again later."),
    )):
        return page
    try:
        if action == "assign":
            access.case_assign(actor=actor, user=user, cases=[case])
        elif action == "unassign":
            access.case_unassign(actor=actor, user=user, cases=[case])
        elif action == "share_legal":
            access.case_share_with_legal(actor=actor, case=case, user=user)
        elif action == "share_legal_all":
            access.case_share_with_legal(actor=actor, case=case)
        elif action == "unshare_legal_all":
            access.case_unshare_with_legal(actor=actor, case=case)
        elif action == "self_grant":
            access.case_grant_self(actor=actor, case=case)
        else:
            access.case_set_sensitive(actor=actor, case=case, sensitive=action == "sensitive_on")
    except access.AccessError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Access changed."))
    return redirect("manage:case_access", reference=case.reference)


@login_required
@recent_login_required
def case_share(request, reference: str):
    """A caseworker on the case shares it with legal staff (one person, or all unless sensitive)."""
    case = case_get_for(request.user, reference=reference, perm="change_case")
    form = ShareWithLegalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                access.case_share_with_legal(actor=request.user, case=case, user=form.cleaned_data["user"])
            except access.AccessError as exc:
                form.add_error("user", str(exc))
            else:
                messages.success(request, _("The case is shared with legal staff."))
                return redirect("manage:case_share", reference=case.reference)
        status = 400
    rows = [r for r in access.case_access_report(case)]
    return render(request, "accounts/manage/case_share.html", {"case": case, "form": form, "rows": rows}, status=status)
