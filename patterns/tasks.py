"""Thin Celery wrappers: ids in, services called, gone objects tolerated."""

from celery import shared_task

from patterns import list_imports


@shared_task(name="patterns.list_read")
def list_read_task(upload_id: str) -> dict:
    upload = list_imports.list_read(upload_id=upload_id)
    return {"status": upload.status if upload else "gone"}


@shared_task(name="patterns.list_import")
def list_import_task(upload_id: str) -> dict:
    upload = list_imports.list_import(upload_id=upload_id)
    if upload is None:
        return {"status": "gone"}
    return {"status": upload.status, "good": upload.good_rows, "bad": len(upload.errors)}


@shared_task(name="patterns.list_match")
def list_match_task(source_list_id: str, user_id: int) -> dict:
    return {"candidates": list_imports.list_match(source_list_id=source_list_id, user_id=user_id)}
