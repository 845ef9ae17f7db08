"""Thin Celery wrappers: ids in, services called, gone objects tolerated."""

from celery import shared_task

from evidence import services


@shared_task(name="evidence.process")
def evidence_process_task(file_id: str) -> str:
    file = services.evidence_process(file_id=file_id)
    return file.state if file else "gone"


@shared_task(name="evidence.verify_all")
def verify_evidence_task() -> dict:
    failed = services.evidence_verify_all()
    return {"failed": [str(f.pk) for f in failed]}
