"""Thin views: resolve through selectors, validate with forms, call services, render."""

import hashlib
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import actions
from audit.services import audit_read
from common import csv_export, once
from cases.selectors import case_get_for
from config.confirm import confirm_step
from patterns import list_imports, selectors, services, stats
from patterns.access import can_view_aggregates
from patterns.forms import FilterForm, MappingForm, SourceListForm, UploadForm
from patterns.lists import ListFileError
from patterns.models import ListUpload

DASHBOARD_DIMENSIONS = (
    "nationality", "pathway", "status", "closure_reason", "event_type", "coercion_means", "region", "facility", "facility_type",
    "ill_treatment_method", "medical_exam", "tag",
)


def _filter_form(request):
    form = FilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, form.filters() if form.is_bound else {}


def _chart(result) -> dict:
    peak = max((r.count for r in result.rows), default=0) or 1
    bars = [{"row": r, "width": round(100 * r.count / peak, 1), "y": 22 * i} for i, r in enumerate(result.rows)]
    return {"result": result, "bars": bars, "height": max(22 * len(bars), 22)}


@login_required
@require_GET
def dashboard(request):
    """Counts by every dimension for this user's scope (all cases for an aggregate role)."""
    form, filters = _filter_form(request)
    if filters is None:
        return render(request, "patterns/dashboard.html", {"form": form}, status=400)
    measure = form.cleaned_data.get("measure") or "cases" if form.is_bound else "cases"
    period = form.cleaned_data.get("period") or "month" if form.is_bound else "month"
    charts = [_chart(stats.counts(request.user, measure=measure, dimension=d, filters=filters)) for d in DASHBOARD_DIMENSIONS]
    period_chart = _chart(stats.counts(request.user, measure=measure, dimension=period, filters=filters))
    query = request.GET.copy()
    return render(
        request,
        "patterns/dashboard.html",
        {
            "form": form, "charts": charts, "period_chart": period_chart, "measure": measure,
            "measure_label": stats.MEASURES[measure], "summary": stats.summary(request.user, filters=filters),
            "all_cases": can_view_aggregates(request.user), "query": query.urlencode(), "k": stats.small_cell_k(),
        },
    )


@login_required
@require_GET
def stats_csv(request):
    """One chart's table as CSV; counts below DALIL_SMALL_CELL_K shown as '<k'."""
    form, filters = _filter_form(request)
    dimension = request.GET.get("dimension", "")
    if filters is None or dimension not in stats.DIMENSIONS:
        return HttpResponse(_("Unknown dimension or bad filter."), status=400, content_type="text/plain; charset=utf-8")
    measure = (form.cleaned_data.get("measure") if form.is_bound else "") or "cases"
    result = services.stats_export(actor=request.user, measure=measure, dimension=dimension, filters=filters)
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([dimension, "label", measure])
    for row in result.rows:
        writer.writerow([row.key, row.label, stats.suppress(row.count)])
    if dimension in stats.PERIODS:
        writer.writerow(["left_out_imprecise_dates", "", stats.suppress(result.left_out)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dalil-{measure}-by-{dimension}.csv"'
    return response


@login_required
@require_GET
def research_export(request):
    """De-identified events (CSV or JSON), audited."""
    form, filters = _filter_form(request)
    fmt = request.GET.get("format", "csv")
    if filters is None or fmt not in ("csv", "json"):
        return HttpResponse(_("Bad filter or format."), status=400, content_type="text/plain; charset=utf-8")
    rows, meta = services.research_export(actor=request.user, filters=filters)
    if fmt == "json":
        response = JsonResponse({"meta": meta, "fields": list(services.RESEARCH_FIELDS), "events": rows})
    else:
        out = io.StringIO()
        writer = csv_export.DictWriter(out, fieldnames=services.RESEARCH_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dalil-research-events.{fmt}"'
    return response


# --- Published lists ---------------------------------------------------------------------


def _lists_allowed(request):
    if not selectors.may_use_lists(request.user):
        raise Http404("No such page.")


@login_required
def list_index(request):
    _lists_allowed(request)
    form = SourceListForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "patterns/list_index.html", {"form": form, "lists": selectors.source_lists_for(request.user)}, status=400)
        source_list = list_imports.source_list_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("List registered. Upload its file next."))
        return redirect("patterns:list_detail", list_id=source_list.pk)
    return render(request, "patterns/list_index.html", {"form": form, "lists": selectors.source_lists_for(request.user)})


def _list_page(request, source_list, upload_form=None, status=200):
    candidates = list(selectors.candidates_for(request.user, source_list=source_list))
    return render(
        request, "patterns/list_detail.html",
        {
            "source_list": source_list, "uploads": source_list.uploads.all()[:10], "upload_form": upload_form or UploadForm(),
            "candidates": candidates, "entry_count": source_list.entries.count(), "form_token": once.token_for(request),
        },
        status=status,
    )


@login_required
def list_detail(request, list_id):
    source_list = selectors.source_list_get_for(request.user, list_id=list_id)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _list_page(request, source_list, form, status=400)
        content = form.cleaned_data["file"].read()

        def perform():
            try:
                upload = list_imports.list_upload_create(
                    actor=request.user, source_list=source_list, filename=form.cleaned_data["file"].name, content=content,
                )
            except ListFileError as exc:
                form.add_error("file", str(exc))
                return _list_page(request, source_list, form, status=400), ""
            return redirect("patterns:upload_detail", list_id=source_list.pk, upload_id=upload.pk), str(upload.pk)

        def replay(upload_id: str):
            if upload_id:
                return redirect("patterns:upload_detail", list_id=source_list.pk, upload_id=upload_id)
            return redirect("patterns:list_detail", list_id=source_list.pk)

        return once.run(request, endpoint=f"patterns.list.upload:{source_list.pk}", perform=perform, replay=replay,
                        files=hashlib.sha256(content).hexdigest())
    return _list_page(request, source_list)


@login_required
def upload_detail(request, list_id, upload_id):
    """Map the columns, then follow the import's progress and read the rejected rows."""
    source_list = selectors.source_list_get_for(request.user, list_id=list_id)
    upload = selectors.upload_get_for(request.user, source_list=source_list, upload_id=upload_id)
    form = None
    if upload.status in (ListUpload.Status.MAPPING, ListUpload.Status.FAILED) and upload.columns:
        form = MappingForm(request.POST or None, columns=upload.columns, initial_mapping=upload.mapping)
        if request.method == "POST":
            if not form.is_valid():
                return render(request, "patterns/upload_detail.html", {"source_list": source_list, "upload": upload, "form": form}, status=400)
            try:
                list_imports.list_import_start(actor=request.user, upload=upload, mapping=form.mapping())
            except ValueError as exc:
                form.add_error(None, str(exc))
                return render(request, "patterns/upload_detail.html", {"source_list": source_list, "upload": upload, "form": form}, status=400)
            return redirect("patterns:upload_detail", list_id=source_list.pk, upload_id=upload.pk)
    running = upload.status in (ListUpload.Status.READING, ListUpload.Status.QUEUED, ListUpload.Status.RUNNING, ListUpload.Status.MATCHING)
    return render(request, "patterns/upload_detail.html", {"source_list": source_list, "upload": upload, "form": form, "running": running})


@login_required
@require_GET
def upload_progress(request, list_id, upload_id):
    source_list = selectors.source_list_get_for(request.user, list_id=list_id)
    upload = selectors.upload_get_for(request.user, source_list=source_list, upload_id=upload_id)
    return JsonResponse({
        "status": upload.status, "total": upload.total_rows, "processed": upload.processed_rows, "percent": upload.percent,
        "good": upload.good_rows, "bad": len(upload.errors), "errors": upload.errors[:1000], "failure": upload.failure,
    })


@login_required
@require_POST
def list_match(request, list_id):
    """Match the list among this user's own cases (an import matches only among its importer's)."""
    source_list = selectors.source_list_get_for(request.user, list_id=list_id)
    list_imports.list_match_start(actor=request.user, source_list=source_list)
    messages.success(request, _("The list is being matched against your cases; reload this page in a moment."))
    return redirect("patterns:list_detail", list_id=source_list.pk)


@login_required
@require_POST
def candidate_decide(request, list_id, candidate_id, decision):
    if decision not in ("confirm", "reject"):
        raise Http404("No such action.")
    source_list = selectors.source_list_get_for(request.user, list_id=list_id)
    candidate = selectors.candidate_get_for(request.user, source_list=source_list, candidate_id=candidate_id, perm="change_case")
    if decision == "confirm":
        services.match_confirm(actor=request.user, candidate=candidate)
        messages.success(request, _("Match confirmed: a source and an event were added to case %(ref)s.") % {"ref": candidate.person.case.reference})
    else:
        services.match_reject(actor=request.user, candidate=candidate)
        messages.success(request, _("Match rejected."))
    return redirect("patterns:list_detail", list_id=source_list.pk)


# --- Duplicates --------------------------------------------------------------------------


@login_required
@require_GET
def duplicates(request):
    """Likely duplicate people among this user's cases, or of one case (?case=REF), on demand."""
    case = None
    if request.GET.get("case"):
        case = case_get_for(request.user, reference=request.GET["case"])
    pairs = selectors.duplicates_for(request.user, case=case)
    shown = sorted({str(p[x].pk) for p in pairs for x in ("a", "b")})
    if shown:
        audit_read(actor=request.user, action=actions.CASE_LIST_VIEWED, data={"cases": shown, "view": "patterns.duplicates"})
    return render(request, "patterns/duplicates.html", {"pairs": pairs, "case": case})


@login_required
@require_POST
def duplicate_action(request):
    kept = case_get_for(request.user, reference=request.POST.get("kept", ""), perm="change_case")
    other = case_get_for(request.user, reference=request.POST.get("other", ""), perm="change_case")
    if request.POST.get("action") == "merge":
        what = {"kept": kept.reference, "merged": other.reference}
        if page := confirm_step(
            request, title=_("Merge %(merged)s into %(kept)s?") % what, button=_("Merge %(merged)s into %(kept)s") % what,
            consequence=_("The events, sources, contacts and consents of %(merged)s move to %(kept)s, its person's names become aliases there, and %(merged)s is closed. Evidence files stay with %(merged)s.") % what,
            back=reverse("patterns:duplicates"), undo=_("A merge is not undone here: both histories are kept, but separating the cases again is work by hand."),
        ):
            return page
        try:
            services.case_merge(actor=request.user, kept=kept, merged=other)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("patterns:duplicates")
        messages.success(request, _("%(merged)s was merged into %(kept)s; both histories are kept.") % {"merged": other.reference, "kept": kept.reference})
    else:
        services.duplicate_dismiss(actor=request.user, case_a=kept, case_b=other)
        messages.success(request, _("Marked as different people."))
    return redirect("patterns:duplicates")
