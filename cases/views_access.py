"""The case-access pages of the manage site (/manage/): assignments, who has access to a case and why, sharing.

Admins see case references and flags here, never case content: reading a case needs a per-case grant like anyone
else (an admin may grant themself one; it is audited). The URLs are in the manage site's namespace
(cases/urls_manage.py, joined to accounts' pages in config/urls_manage.py).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import manage_access_required, recent_login_required
from cases import access
from cases.forms_access import AssignmentForm, CaseAccessForm, ShareWithLegalForm
from cases.models import Case
from cases.sections import access_sections
from cases.selectors import case_get_for, cases_for_access_management
from config.confirm import confirm_step

User = get_user_model()
PAGE_SIZE = 50


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
    return render(request, "cases/manage/assignments.html", {"form": form, "page": page, "ref": request.GET.get("ref", "")}, status=status)


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
        "cases/manage/case_access.html",
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
            request, "cases/manage/case_access.html",
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
    return render(request, "cases/manage/case_share.html", {"case": case, "form": form, "rows": rows}, status=status)
