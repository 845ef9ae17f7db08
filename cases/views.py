"""Caseworker pages. Thin: resolve through a selector, validate with a form, call a service.

Every case is fetched through cases.selectors for this user, so a missing case and a
case the user may not see give the same 404. Invalid input re-renders the form with
status 400 and saves nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from audit import actions
from audit.services import audit_read
from cases import drafts, selectors, services
from cases.conflicts import conflict_rows
from cases.forms import CaseForm, ConsentForm, ContactForm, EventForm, FirstContactForm, PersonForm, SourceForm, working_copy
from cases.gone import or_gone_page
from cases.sections import case_opened_notices, case_sections
from common import once
from common.transactions import user_action

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
# Testimony and contact details never appear on an error page.
PROTECTED_POST = sensitive_post_parameters()


def record_read(request: HttpRequest, action: str, *, target=None, case=None, data=None) -> None:
    """The one call site where these pages record a read in the audit log."""
    audit_read(actor=request.user, action=action, target=target, case=case, data=data)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _form_response(request: HttpRequest, template: str, context: dict, forms) -> HttpResponse | None:
    """The page to show instead of saving: the form on GET, the form with its errors (400) on a bad POST."""
    context["form_token"] = once.token_for(request)
    if notice := drafts.held(request):
        # Too large, or typed before the session ended: shown as typed, with its errors, and not saved.
        [form.is_valid() for form in forms]
        messages.warning(request, notice)
        return render(request, template, context, status=drafts.held_status(request))
    if request.method != "POST":
        if (case := context.get("case")) is not None:
            # An edit page shows the record it edits: that is a read too.
            record_read(request, actions.CASE_VIEWED, target=case, case=case, data={"page": request.resolver_match.url_name})
        return render(request, template, context)
    if not all([form.is_valid() for form in forms]):  # a list, so that every form shows its errors
        return render(request, template, context, status=400)
    return None


def _stale(request: HttpRequest, template: str, context: dict, form, current, rows: list[dict]) -> HttpResponse:
    """A save refused because someone else saved first: the form again, with what was typed, beside what is stored."""
    form.advance_version(current.version)
    context["conflict"] = rows
    return render(request, template, context, status=409)


def _case_url(case, anchor: str = "") -> str:
    url = reverse("cases:detail", kwargs={"reference": case.reference})
    return f"{url}#{anchor}" if anchor else url


def _create_once(request: HttpRequest, case, name: str, create) -> HttpResponse:
    """create() -> the case page's anchor for what it made; run once per rendered form (cases.once)."""

    def perform():
        anchor = create()
        return redirect(_case_url(case, anchor)), anchor

    return once.run(
        request, endpoint=f"{name}:{case.pk}", perform=perform, replay=lambda anchor: redirect(_case_url(case, anchor))
    )


def _record_save(request: HttpRequest, case, kind: str, form, context: dict, *, template: str, add, update, messages_):
    """A contact or a source from its valid form: added once per rendered form (`update` None), or changed unless
    someone saved it first. `messages_`: what is said after adding, after changing."""
    values = form.service_data()
    if update is None:

        def create():
            made = add(actor=request.user, case=case, data=values)
            messages.success(request, messages_[0])
            return f"{kind}-{made.pk}"

        return _create_once(request, case, f"{kind}.add", create)
    try:
        update(values, form.read_version())
    except services.StaleEdit as stale:
        return _stale(request, template, context, form, stale.current, conflict_rows(stale.current, values))
    messages.success(request, messages_[1])
    return redirect(_case_url(case, f"{kind}s"))


# --- Case page (the list is in cases/views_list.py) -------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
@or_gone_page
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference)
    reads = selectors.case_page_reads(request.user, case=case)
    consents = reads["consents"]
    record_read(request, actions.CASE_VIEWED, target=case, case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "timeline": reads["timeline"],
            "contacts": reads["contacts"],
            "sources": reads["sources"],
            "consent": consents[0] if consents else None,
            "consent_history": consents[1:],
            "sections": case_sections(request.user, case),
        },
    )


# --- Create and edit a case -----------------------------------------------------------


@PROTECTED_POST
@sensitive_variables()
@login_required
@permission_required("cases.add_case", raise_exception=True)  # caseworkers open cases; legal and admin do not
@GET_POST
def case_create(request: HttpRequest) -> HttpResponse:
    data = _posted(request)
    person_form, case_form, contact_form = PersonForm(data), CaseForm(data), FirstContactForm(data)
    context = {"person_form": person_form, "case_form": case_form, "contact_form": contact_form}
    with_contact = contact_form.provided()
    forms = [person_form, case_form, contact_form] if with_contact else [person_form, case_form]
    if (response := _form_response(request, "cases/case_form.html", context, forms)) is not None:
        return response

    def perform():
        case = services.case_create(
            actor=request.user,
            person=person_form.service_data(),
            case=case_form.service_data(),
            contacts=[contact_form.service_data()] if with_contact else [],
        )
        messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
        case_opened_notices(request, case)  # e.g. patterns: the person may already be documented
        return redirect(_case_url(case)), case.reference

    def replay(reference: str):
        return redirect(reverse("cases:detail", kwargs={"reference": reference}) if reference else reverse("cases:list"))

    return once.run(request, endpoint="cases.create", perform=perform, replay=replay)


@PROTECTED_POST
@sensitive_variables()
@login_required
@GET_POST
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference, perm="change_case")
    data = _posted(request)
    person_form = PersonForm(data, instance=working_copy(case.person))
    case_form = CaseForm(data, instance=working_copy(case))
    context = {"case": case, "person_form": person_form, "case_form": case_form}
    if (response := _form_response(request, "cases/case_form.html", context, [person_form, case_form])) is not None:
        return response
    person_data, case_data = person_form.service_data(), case_form.service_data()
    try:
        changed = services.case_update(
            actor=request.user, case=case, person=person_data, data=case_data, version=case_form.read_version()
        )
    except services.StaleEdit as stale:
        rows = conflict_rows(stale.current.person, person_data) + conflict_rows(stale.current, case_data)
        return _stale(request, "cases/case_form.html", context, case_form, stale.current, rows)
    if changed:
        messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect(_case_url(case))


# --- Contacts ---------------------------------------------------------------------------


@PROTECTED_POST
@sensitive_variables()
@login_required
@GET_POST
def contact_edit(request: HttpRequest, reference: str, contact_id=None) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference, perm="change_case")
    contact = selectors.contact_get_for(request.user, case=case, contact_id=contact_id) if contact_id else None
    data = _posted(request)
    form = ContactForm(data, instance=working_copy(contact) if contact else None)
    context = {"case": case, "form": form, "contact": contact}
    if (response := _form_response(request, "cases/contact_form.html", context, [form])) is not None:
        return response
    return _record_save(
        request, case, "contact", form, context, template="cases/contact_form.html",
        add=services.contact_add, messages_=(_("Contact added."), _("Contact saved.")),
        update=None if contact is None else (
            lambda values, version: services.contact_update(actor=request.user, contact=contact, data=values, version=version)),
    )


# --- Events -----------------------------------------------------------------------------


@PROTECTED_POST
@sensitive_variables()
@login_required
@GET_POST
def event_edit(request: HttpRequest, reference: str, event_id=None) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference, perm="change_case")
    event = selectors.event_get_for(request.user, case=case, event_id=event_id) if event_id else None
    data = _posted(request)
    form = EventForm(
        data,
        instance=working_copy(event) if event else None,
        sources=selectors.sources_for(request.user, case=case),
        contacts=selectors.contacts_for(request.user, case=case),
    )
    context = {"case": case, "form": form, "event": event}
    if (response := _form_response(request, "cases/event_form.html", context, [form])) is not None:
        return response
    sources = list(form.cleaned_data["sources"])
    # One user action: a place or a perpetrator typed in on the page is made with the event, or not at all.
    if event is None:

        def create():
            with user_action():
                event_data, perpetrators = _event_values(request, form)
                made = services.event_add(
                    actor=request.user, case=case, data=event_data, perpetrators=perpetrators, sources=sources,
                    new_source=form.new_source_data(),
                )
            messages.success(request, _("Event added to the timeline."))
            return f"event-{made.pk}"

        return _create_once(request, case, "event.add", create)
    try:
        with user_action():
            event_data, perpetrators = _event_values(request, form)
            services.event_update(
                actor=request.user, event=event, data=event_data, perpetrators=perpetrators, sources=sources,
                version=form.read_version(), new_source=form.new_source_data(),
            )
    except services.StaleEdit as stale:
        rows = conflict_rows(stale.current, {**event_data, "perpetrators": perpetrators, "sources": sources})
        return _stale(request, "cases/event_form.html", context, form, stale.current, rows)
    messages.success(request, _("Event saved."))
    return redirect(_case_url(case, f"event-{event.pk}"))


def _event_values(request: HttpRequest, form) -> tuple[dict, list]:
    """The event's fields and perpetrators; shared places and perpetrators typed in on the page become records first."""
    event_data = form.service_data()
    perpetrators = list(form.cleaned_data["perpetrators"])
    if (location_data := form.new_location_data()) is not None:
        event_data["location"] = services.location_create(actor=request.user, data=location_data)
    if (perpetrator_data := form.new_perpetrator_data()) is not None:
        perpetrators.append(services.perpetrator_create(actor=request.user, data=perpetrator_data))
    return event_data, perpetrators


# --- Sources and consent ----------------------------------------------------------------


@PROTECTED_POST
@sensitive_variables()
@login_required
@GET_POST
def source_edit(request: HttpRequest, reference: str, source_id=None) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference, perm="change_case")
    source = selectors.source_get_for(request.user, case=case, source_id=source_id) if source_id else None
    data = _posted(request)
    form = SourceForm(
        data, instance=working_copy(source) if source else None, contacts=selectors.contacts_for(request.user, case=case)
    )
    context = {"case": case, "form": form, "source": source}
    if (response := _form_response(request, "cases/source_form.html", context, [form])) is not None:
        return response
    return _record_save(
        request, case, "source", form, context, template="cases/source_form.html",
        add=services.source_add, messages_=(_("Source added."), _("Source saved.")),
        update=None if source is None else (
            lambda values, version: services.source_update(actor=request.user, source=source, data=values, version=version)),
    )


@PROTECTED_POST
@sensitive_variables()
@login_required
@GET_POST
def consent_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for(request.user, reference=reference, perm="change_case")
    data = _posted(request)
    form = ConsentForm(data, contacts=selectors.contacts_for(request.user, case=case))
    context = {"case": case, "form": form, "consent": selectors.consent_in_force(request.user, case=case)}
    if (response := _form_response(request, "cases/consent_form.html", context, [form])) is not None:
        return response

    def create():
        services.consent_record(actor=request.user, case=case, data=form.service_data())
        messages.success(request, _("Consent recorded. It replaces any earlier record."))
        return "consent"

    return _create_once(request, case, "consent.record", create)
