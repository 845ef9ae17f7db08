"""Thin Celery wrappers: ids in, services called, gone objects tolerated."""

from celery import shared_task

from patterns import services


@shared_task(name="patterns.list_import")
def list_import_task(upload_id: str) -> dict:
    upload = services.list_import(upload_id=upload_id)
    if upload is None:
        return {"status": "gone"}
    return {"status": upload.status, "good": upload.good_rows, "bad": len(upload.errors)}
