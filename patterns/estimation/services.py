"""Estimate jobs: asked for in one transaction with its audit event, run by Celery with progress."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from common.transactions import service
from patterns.estimation.models import EstimateJob


@service
def estimate_request(*, actor, list_ids: list, include_cases: bool, stratum: str, exports: list, secret: str) -> EstimateJob:
    job = EstimateJob.objects.create(
        created_by=actor, list_ids=[str(i) for i in list_ids], include_cases=include_cases, stratum=stratum,
        coalition_exports=exports, coalition_secret=secret,
    )
    audit_record(actor=actor, action=actions.POPULATION_ESTIMATED, target=job,
                 data={"lists": len(list_ids) + int(include_cases) + len(exports), "by": stratum})
    from patterns.estimation.tasks import estimate_task

    transaction.on_commit(lambda: estimate_task.delay(str(job.pk)))
    return job


def _progress(job: EstimateJob):
    def report(percent: int, step: str) -> None:
        EstimateJob.objects.filter(pk=job.pk).update(progress=percent, step=str(step)[:120])
    return report


def _sources(job: EstimateJob):
    from patterns.estimation.sources import cases_source, imported_source
    from patterns.selectors import source_lists_for

    lists = list(source_lists_for(job.created_by).filter(pk__in=job.list_ids))
    sources = [imported_source(job.created_by, s) for s in lists]
    if job.include_cases:
        sources.append(cases_source(job.created_by))
    return sources


def estimate_run(job_id) -> EstimateJob | None:
    job = EstimateJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status != EstimateJob.Status.QUEUED:
        return job
    EstimateJob.objects.filter(pk=job.pk).update(status=EstimateJob.Status.RUNNING, progress=1)
    try:
        if job.coalition_exports:
            from patterns.coalition.exchange import estimate_with_exports

            result = estimate_with_exports(job.coalition_exports, _sources(job), job.coalition_secret.encode(), progress=_progress(job))
        else:
            from patterns.estimation.population import estimate_population

            result = estimate_population(_sources(job), by=job.stratum or None, progress=_progress(job))
    except ValueError as exc:
        _finish(job, status=EstimateJob.Status.FAILED, failure=str(exc)[:300])
    except Exception:
        _finish(job, status=EstimateJob.Status.FAILED, failure=_("The estimate failed; nothing was kept."))
        raise
    else:
        _finish(job, status=EstimateJob.Status.DONE, progress=100, result=result)
    return job


def _finish(job: EstimateJob, **fields) -> None:
    """The end of a run: its outcome saved, and the coalition's secret dropped (sealed fields save per instance)."""
    job.refresh_from_db()
    for name, value in fields.items():
        setattr(job, name, value)
    job.coalition_secret = ""
    job.save(update_fields=[*fields, "coalition_secret"])
