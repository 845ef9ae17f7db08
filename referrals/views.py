"""Thin views: resolve through selectors (404 for missing and forbidden alike), validate, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from audit import actions
from audit.services import audit_read
from cases.models import Consent
from cases import drafts
from cases.conflicts import conflict_rows
from cases.selectors import case_get_for, consent_in_force, events_for, sources_for
from cases.services import StaleEdit
from common import once

from referrals import consent as consent_rules
from referrals import evidence_api, forms, selectors, services
from referrals.models import ILO_INDICATORS, ITEM_CHOICES, PALERMO_ELEMENTS, RecipientKind, Referral
from referrals.selectors import REFERRAL_PERM

_CODES = dict(ITEM_CHOICES)


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


# --- assessment ----------------------------------------------------------


@login_required
def assessment(request, reference):
    case = case_get_for(request.user, reference=reference, perm=REFERRAL_PERM)
    form = forms.ConclusionForm(request.POST or None)
    if page := drafts.held_page(request, [form], lambda status: _assessment_page(request, case, form, status=status)):
        return page
    if request.method == "POST":
        if not form.is_valid():
            return _assessment_page(request, case, form, status=400)
        try:
            services.assessment_conclusion_save(
                actor=request.user, case=case, conclusion=form.cleaned_data["conclusion"], version=form.cleaned_data["version"]
            )
        except StaleEdit as stale:
            forms.advance_version(form, stale.current.version)
            rows = conflict_rows(stale.current, {"conclusion": form.cleaned_data["conclusion"]})
            return _assessment_page(request, case, form, status=409, conflict=rows)
        messages.success(request, _("Conclusion saved."))
        return redirect("referrals:assessment", reference=case.reference)
    view = selectors.assessment_view_for(request.user, case=case)
    audit_read(actor=request.user, action=actions.ASSESSMENT_VIEWED, case=case)
    form = forms.ConclusionForm(initial={
        "conclusion": view.assessment.conclusion if view.assessment else "", "version": view.assessment.version if view.assessment else 0,
    })
    return _assessment_page(request, case, form, view=view)


def _assessment_page(request, case, form, *, view=None, status=200, conflict=None):
    view = view or selectors.assessment_view_for(request.user, case=case)
    context = {"case": case, "view": view, "form": form, "conflict": conflict}
    return render(request, "referrals/assessment.html", context, status=status)


@login_required
def assessment_item(request, reference, code):
    case = case_get_for(request.user, reference=reference, perm=REFERRAL_PERM)
    if code not in _CODES:
        raise Http404("No such element or indicator.")
    kind, short = code.split(":", 1)
    view = selectors.assessment_view_for(request.user, case=case)
    item_view = next(i for i in view.elements + view.indicators if i.full_code == code)
    link_kwargs = {
        "events": list(events_for(request.user, case=case)),
        "sources": list(sources_for(request.user, case=case)),
        "files": list(evidence_api.files_for(request.user, case=case)),
    }
    item_form = forms.ItemForm(kind=kind, code=short, initial={
        "options": item_view.options, "note": item_view.note, "version": item_view.item.version if item_view.item else 0,
    })
    link_form = forms.LinkForm(**link_kwargs)
    status, conflict = 200, None
    if request.method == "POST" and drafts.held(request):
        item_form, link_form, status = _held_item_forms(request, item_form, link_form, link_kwargs, kind=kind, short=short)
    elif request.method == "POST":
        if "add_link" in request.POST:
            link_form = forms.LinkForm(request.POST, **link_kwargs)
            if link_form.is_valid():
                prefix, obj = link_form.cleaned_data["target"]
                try:
                    services.assessment_link_add(
                        actor=request.user, case=case, code=code, strength=link_form.cleaned_data["strength"],
                        note=link_form.cleaned_data["note"], **{"event" if prefix == "event" else "source" if prefix == "source" else "evidence_file": obj},
                    )
                except ValidationError as exc:
                    _errors(link_form, exc)
                else:
                    messages.success(request, _("Support added."))
                    return redirect("referrals:assessment_item", reference=case.reference, code=code)
        else:
            item_form = forms.ItemForm(request.POST, kind=kind, code=short)
            if item_form.is_valid():
                try:
                    services.assessment_item_save(
                        actor=request.user, case=case, code=code, options=item_form.cleaned_data.get("options", []),
                        note=item_form.cleaned_data["note"], version=item_form.cleaned_data["version"],
                    )
                except StaleEdit as stale:
                    forms.advance_version(item_form, stale.current.version)
                    conflict = _item_conflict(item_view, stale.current, item_form.cleaned_data)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("referrals:assessment_item", reference=case.reference, code=code)
        status = 409 if conflict is not None else 400
    return render(
        request, "referrals/assessment_item.html",
        {"case": case, "item": item_view, "item_form": item_form, "link_form": link_form, "files": view.files, "conflict": conflict},
        status=status,
    )


def _held_item_forms(request, item_form, link_form, link_kwargs, *, kind, short):
    """Kept text (too large, or typed before the session ended) back in the form it was typed in; nothing saved."""
    if "add_link" in request.POST:
        link_form = forms.LinkForm(request.POST, **link_kwargs)
    else:
        item_form = forms.ItemForm(request.POST, kind=kind, code=short)
    return item_form, link_form, drafts.held_page(request, [item_form, link_form], lambda status: status)


def _item_conflict(item_view, current, typed: dict) -> list[dict]:
    labels = dict(item_view.option_choices)
    shown = lambda codes: ", ".join(str(labels.get(c, c)) for c in codes) or _("(empty)")  # noqa: E731
    rows = conflict_rows(current, {"note": typed["note"]})
    if list(current.options) != list(typed.get("options", current.options)):
        rows.insert(0, {"label": _("Forms found"), "theirs": shown(current.options), "yours": shown(typed.get("options", []))})
    return rows


@login_required
@require_POST
def assessment_link_remove(request, reference, link_id):
    case = case_get_for(request.user, reference=reference, perm=REFERRAL_PERM)
    link = selectors.support_link_get_for(request.user, case=case, link_id=link_id)
    code = link.item.code
    services.assessment_link_remove(actor=request.user, case=case, link=link)
    messages.success(request, _("Support removed."))
    return redirect("referrals:assessment_item", reference=case.reference, code=code)


# --- review requests -----------------------------------------------------


@login_required
def review_request(request, reference):
    case = case_get_for(request.user, reference=reference, perm="change_case")
    form = forms.ReviewRequestForm(request.POST or None)
    context = {"case": case, "form": form, "consent": consent_in_force(request.user, case=case), "form_token": once.token_for(request)}
    if page := drafts.held_page(request, [form], lambda status: render(request, "referrals/review_request.html", context, status=status)):
        return page
    if request.method == "POST" and form.is_valid():

        def perform():
            try:
                services.review_request(actor=request.user, case=case, note=form.cleaned_data["note"], legal_user=form.cleaned_data["legal_user"])
            except ValidationError as exc:
                _errors(form, exc)
                return render(request, "referrals/review_request.html", context, status=400), ""
            messages.success(request, _("Legal staff have been asked to review this case, and it is shared with them."))
            return redirect("cases:detail", reference=case.reference), case.reference

        # A second submit of the same form (the back button) asks once.
        return once.run(request, endpoint=f"review.request:{case.pk}", perform=perform,
                        replay=lambda _made: redirect("cases:detail", reference=case.reference))
    return render(request, "referrals/review_request.html", context, status=400 if request.method == "POST" else 200)


# --- referrals -----------------------------------------------------------


def _consent_context(request, case, choices):
    """What the page shows about consent: per kind of recipient, and per contact and file."""
    kinds = [
        {"kind": k, "label": k.label, "decision": consent_rules.case_decision(request.user, case=case, recipient_kind=k)}
        for k in RecipientKind
    ]
    return {
        "consent": consent_in_force(request.user, case=case),
        "consent_scopes": [(s, consent_rules.scope_label(s)) for s in Consent.SCOPES],
        "kinds": kinds,
        "contact_refusals": {str(c.pk): consent_rules.contact_refusal(c) for c in choices["contacts"]},
        "file_refusals": {str(f.pk): consent_rules.file_refusal(f) for f in choices["files"]},
    }


def _choices(request, case):
    from cases.selectors import contacts_for

    return {
        "events": list(events_for(request.user, case=case)),
        "contacts": list(contacts_for(request.user, case=case)),
        "files": list(evidence_api.files_for(request.user, case=case)),
    }


@login_required
def referral_create(request, reference):
    case = case_get_for(request.user, reference=reference, perm=REFERRAL_PERM)
    choices = _choices(request, case)
    form = forms.ReferralForm(request.POST or None, choices=choices, initial={"pseudonym": "Person A"})
    ctx = {"case": case, "form": form, **_consent_context(request, case, choices), "form_token": once.token_for(request)}
    if page := drafts.held_page(request, [form], lambda status: render(request, "referrals/referral_form.html", ctx, status=status)):
        return page
    if request.method == "POST":
        if form.is_valid():

            def perform():
                try:
                    referral = services.referral_create(
                        actor=request.user, case=case, data=form.referral_data(), events=form.selected("events"),
                        contacts=form.selected("contacts"), files=form.selected("files"),
                    )
                except ValidationError as exc:
                    _errors(form, exc)
                    return render(request, "referrals/referral_form.html", ctx, status=400), ""
                messages.success(request, _("Referral draft saved."))
                return redirect("referrals:detail", referral_id=referral.pk), str(referral.pk)

            # A second submit of the same form (the back button) makes no second draft: it shows the first.
            return once.run(request, endpoint=f"referral.create:{case.pk}", perform=perform, replay=lambda made: (
                redirect("referrals:detail", referral_id=made) if made else redirect("referrals:list", reference=case.reference)))
        return render(request, "referrals/referral_form.html", ctx, status=400)
    return render(request, "referrals/referral_form.html", ctx)


@login_required
def referral_list(request, reference):
    case = case_get_for(request.user, reference=reference, perm=REFERRAL_PERM)
    audit_read(actor=request.user, action=actions.REFERRAL_LIST_VIEWED, case=case)
    return render(request, "referrals/referral_list.html", {"case": case, "referrals": selectors.referrals_for(request.user, case=case)})


@login_required
def referral_detail(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    case = referral.case
    if request.method == "GET":
        audit_read(actor=request.user, action=actions.REFERRAL_VIEWED, target=referral, case=case)
    choices = _choices(request, case)
    initial = {
        **{k: getattr(referral, k) for k in ("recipient_name", "recipient_kind", "recipient_age_key", "purpose", "person_redaction", "family_redaction", "sources_redaction", "pseudonym", "include_assessment")},
        "events": [str(pk) for pk in referral.events.values_list("pk", flat=True)],
        "contacts": [str(pk) for pk in referral.contacts.values_list("pk", flat=True)],
        "files": list(referral.evidence_file_ids),
    }
    form = forms.ReferralForm(request.POST or None, choices=choices, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_update(
                    actor=request.user, referral=referral, data=form.referral_data(), events=form.selected("events"),
                    contacts=form.selected("contacts"), files=form.selected("files"),
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Referral saved."))
                return redirect("referrals:detail", referral_id=referral.pk)
        status = 400
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral, form, choices), status=status)


def _detail_context(request, referral, form, choices):
    files = {str(f.pk): f for f in choices["files"]}
    return {
        "case": referral.case,
        "referral": referral,
        "form": form,
        "stale": services.build_is_stale(referral),
        "exhibits": [files[fid] for fid in referral.evidence_file_ids if fid in files],
        "sent_form": forms.SentForm(),
        "ack_form": forms.AcknowledgedForm(),
        "close_form": forms.CloseForm(),
        **_consent_context(request, referral.case, choices),
    }


@login_required
@require_POST
def referral_build(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    try:
        if request.POST.get("retry"):
            services.referral_build_retry(actor=request.user, referral=referral)
        else:
            services.referral_build_request(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:detail", referral_id=referral.pk)
    return redirect("referrals:progress", referral_id=referral.pk)


@login_required
@never_cache
def referral_progress(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    return render(request, "referrals/progress.html", {"case": referral.case, "referral": referral, "stale": services.build_is_stale(referral)})


@login_required
@never_cache
@require_GET
def referral_progress_json(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    return JsonResponse(
        {
            "status": referral.build_status,
            "progress": referral.build_progress,
            "step": referral.build_step,
            "error": referral.build_error,
            "stale": services.build_is_stale(referral),
            "done_url": reverse("referrals:detail", kwargs={"referral_id": referral.pk}),
        }
    )


@sensitive_variables("passphrase")
@login_required
@never_cache
@require_POST
def referral_passphrase(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    try:
        passphrase = services.referral_passphrase_reveal(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/passphrase.html", {"case": referral.case, "referral": referral, "passphrase": passphrase})


@login_required
def referral_download(request, referral_id):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    try:
        fh = services.referral_download(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:detail", referral_id=referral.pk)
    name = f"referral-{referral.case.reference}-{str(referral.pk)[:8]}.zip"
    if referral.package_name.endswith(".age"):  # encrypted to the recipient's age key
        return FileResponse(fh, as_attachment=True, filename=name + ".age", content_type="application/octet-stream")
    return FileResponse(fh, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_POST
def referral_transition(request, referral_id, to):
    referral = selectors.referral_get_for(request.user, referral_id=referral_id)
    form_class = {"sent": forms.SentForm, "acknowledged": forms.AcknowledgedForm, "closed": forms.CloseForm}.get(to)
    if form_class is None:
        raise Http404("No such step.")
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if to == "sent":
                services.referral_mark_sent(actor=request.user, referral=referral, sent_on=data["sent_on"], channel=data["channel"])
            elif to == "acknowledged":
                services.referral_mark_acknowledged(actor=request.user, referral=referral, acknowledged_on=data["acknowledged_on"])
            else:
                services.referral_close(
                    actor=request.user, referral=referral, closed_on=data["closed_on"], outcome=data["outcome"], outcome_note=data["outcome_note"]
                )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Referral marked %(status)s.") % {"status": Referral.Status(to).label.lower()})
            return redirect("referrals:detail", referral_id=referral.pk)
    choices = _choices(request, referral.case)
    ctx = _detail_context(request, referral, forms.ReferralForm(choices=choices), choices)
    ctx[{"sent": "sent_form", "acknowledged": "ack_form", "closed": "close_form"}[to]] = form
    return render(request, "referrals/referral_detail.html", ctx, status=400)
