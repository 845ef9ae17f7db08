"""The Patterns page for population estimates: choose lists, watch progress, read and export the result."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from patterns.estimation import report, services
from patterns.estimation.forms import EstimateForm
from patterns.estimation.models import EstimateJob
from patterns.selectors import estimate_job_get_for, estimate_jobs_for, may_use_lists, source_lists_for


def _allowed(request):
    if not may_use_lists(request.user):
        raise Http404("No such page.")


def _done_job_for(request, job_id) -> EstimateJob:
    """A finished estimate of this user's, for its downloads (404 while it runs)."""
    _allowed(request)
    job = estimate_job_get_for(request.user, job_id=job_id)
    if job.status != EstimateJob.Status.DONE:
        raise Http404("Not ready.")
    return job


@login_required
def estimate_index(request):
    _allowed(request)
    form = EstimateForm(request.POST or None, request.FILES or None, lists_queryset=source_lists_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.estimate_request(
            actor=request.user, list_ids=[s.pk for s in data["lists"]], include_cases=data["include_cases"],
            stratum=data["stratum"], exports=data["exports"], secret=data["secret"] if data["exports"] else "",
        )
        return redirect("patterns:estimate_detail", job_id=job.pk)
    jobs = estimate_jobs_for(request.user)[:10]
    context = {"form": form, "jobs": jobs, "has_lists": form.fields["lists"].queryset.exists()}
    return render(request, "estimation/index.html", context, status=400 if form.errors else 200)


@login_required
def estimate_detail(request, job_id):
    _allowed(request)
    job = estimate_job_get_for(request.user, job_id=job_id)
    return render(request, "estimation/detail.html", {"job": job, "results": report.for_page(job.result), "running": job.status in ("queued", "running"),
         "assumptions": report.ASSUMPTIONS})


@login_required
def estimate_csv(request, job_id):
    job = _done_job_for(request, job_id)
    response = HttpResponse(report.csv_bytes(job.result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="estimate-{job.pk}.csv"'
    return response


@login_required
def estimate_pdf(request, job_id):
    job = _done_job_for(request, job_id)
    response = HttpResponse(report.pdf_note(job.result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="estimate-{job.pk}.pdf"'
    return response



