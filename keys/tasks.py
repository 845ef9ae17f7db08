"""Thin Celery wrappers for key work."""

from celery import shared_task


@shared_task(bind=True, name="keys.rotate_keys")
def rotate_keys_task(self) -> dict:
    from keys.rotation import rotate_all

    def progress(done: int, total: int, label: str) -> None:
        if self.request.id and not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total, "label": label})

    return rotate_all(progress=progress)
