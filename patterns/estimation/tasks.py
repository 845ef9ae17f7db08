from celery import shared_task

from patterns.estimation import services


@shared_task(name="patterns.estimate")
def estimate_task(job_id: str) -> dict:
    job = services.estimate_run(job_id)
    return {"status": job.status if job else "gone"}
