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


@shared_task(bind=True, name="evidence.rotate_keys")
def rotate_keys_task(self) -> dict:
    from evidence.rotation import rotate_all

    def progress(done: int, total: int, label: str) -> None:
        if self.request.id and not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total, "label": label})

    return rotate_all(progress=progress)
