"""Retention pages: the admins' review (periods, the month's list, destroy after confirming), holds per case, and
the tombstone a destroyed case shows instead of its page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import recent_login_required
from accounts.roles import is_admin
from audit import actions
from audit.services import audit_read
from cases.models import Case
from retention import destruction, selectors, services
from retention.forms import ConfirmForm, ExtendForm, PolicyForm, ReasonForm

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _admin(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD"])
def review(request):
    _admin(request)
    latest = selectors.latest_review()
    rows = selectors.review_rows(latest.cases.order_by("updated_at")) if latest else []
    audit_read(actor=request.user, action=actions.RETENTION_REVIEW_VIEWED, data={"cases": [str(r["case"].pk) for r in rows]})
    return render(request, "retention/review.html", {
        "review": latest, "rows": rows, "policy_form": PolicyForm(current=selectors.policies()), "policies": selectors.policies(),
    })


@recent_login_required  # a stolen admin session must not shorten periods or destroy without the password
@require_POST
def policies(request):
    _admin(request)
    current = selectors.policies()
    form = PolicyForm(request.POST, current=current)
    if not form.is_valid():
        latest = selectors.latest_review()
        rows = selectors.review_rows(latest.cases.all()) if latest else []
        return render(request, "retention/review.html", {"review": latest, "rows": rows, "policy_form": form, "policies": current}, status=400)
    for status, days in form.cleaned_data.items():
        if days != current.get(status):
            services.policy_set(actor=request.user, status=status, days=days)
    messages.success(request, _("Retention periods saved."))
    return redirect("retention:review")


@login_required
@require_POST
def prepare(request):
    _admin(request)
    services.review_prepare(actor=request.user)
    messages.success(request, _("The list of cases past retention was prepared again."))
    return redirect("retention:review")


@recent_login_required  # a stolen admin session must not shorten periods or destroy without the password
@require_POST
def destroy(request):
    """Two steps: the cases ticked on the review page come here to be confirmed; the confirmation destroys them."""
    _admin(request)
    cases = list(selectors.cases_due().filter(reference__in=request.POST.getlist("case")))
    if not cases:
        messages.error(request, _("Tick at least one case past its retention period."))
        return redirect("retention:review")
    form = ConfirmForm(request.POST if "confirmation" in request.POST else None)
    if form.is_bound and form.is_valid():
        if form.typed() != {c.reference.upper() for c in cases}:
            form.add_error("confirmation", _("The references typed are not exactly those of the cases ticked."))
        else:
            return _destroy_confirmed(request, cases, form)
    rows = selectors.review_rows(cases)
    return render(request, "retention/confirm.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


def _destroy_confirmed(request, cases, form):
    done, refused = [], []
    for case in cases:  # one transaction per case: a refusal or failure of one leaves the others as decided
        try:
            destruction.case_destroy(actor=request.user, case=case, reason=form.cleaned_data["reason"], confirmation=case.reference)
        except services.RetentionError as exc:
            refused.append(str(exc))
        else:
            done.append(case.reference)
    if done:
        messages.success(request, _("Destroyed: %(refs)s. Their tombstones and audit trail remain.") % {"refs": ", ".join(done)})
    for message in refused:
        messages.error(request, message)
    return redirect("retention:review")


@login_required
@GET_POST
def case_retention(request, reference):
    """Holds (admins and legal staff) and extensions (admins) of one case."""
    if not selectors.may_hold(request.user):
        raise PermissionDenied
    case = selectors.case_for_retention(request.user, reference=reference)
    hold, admin = selectors.standing_hold(case), is_admin(request.user)
    form = ExtendForm if request.POST.get("do") == "extend" else ReasonForm
    bound = form(request.POST) if request.method == "POST" else None
    if bound is not None and bound.is_valid():
        try:
            _case_action(request, case, hold, admin, bound.cleaned_data)
        except services.RetentionError as exc:
            bound.add_error(None, str(exc))
        else:
            return redirect("retention:case", reference=case.reference)
    return render(request, "retention/case.html", {
        "case": case, "hold": hold, "implied": selectors.implied_holds(case), "admin": admin, "bound": bound,
        "hold_form": bound if form is ReasonForm and bound else ReasonForm(),
        "extend_form": bound if form is ExtendForm and bound else ExtendForm(),
        "extensions": case.retention_extensions.select_related("extended_by"),
        "holds": case.legal_holds.select_related("set_by", "lifted_by"),
    }, status=400 if bound is not None else 200)


def _case_action(request, case: Case, hold, admin: bool, data: dict) -> None:
    do = request.POST.get("do")
    if do == "hold":
        services.hold_set(actor=request.user, case=case, reason=data["reason"])
        messages.success(request, _("Legal hold set: the case cannot be destroyed while it stands."))
    elif do == "lift":
        services.hold_lift(actor=request.user, case=case, reason=data["reason"])
        messages.success(request, _("Legal hold lifted."))
    elif do == "extend" and admin:
        services.retention_extend(actor=request.user, case=case, until=data["until"], reason=data["reason"])
        messages.success(request, _("The case is kept until %(day)s.") % {"day": data["until"].isoformat()})
    else:
        raise PermissionDenied


def tombstone_page(request, reference):
    """Instead of a destroyed case's page (cases.gone): what remains, for admins and for those who could see it."""
    tombstone = selectors.tombstone_for(request.user, reference=reference)
    if tombstone is None:
        return None
    audit_read(actor=request.user, action=actions.RETENTION_TOMBSTONE_VIEWED, target=tombstone.case, case=tombstone.case)
    return render(request, "retention/tombstone.html", {"tombstone": tombstone}, status=410)
