"""Thin Celery wrappers for beat: ids and counts in and out, never content."""

from celery import shared_task

from casework import digest


@shared_task(name="casework.notifications_sweep")
def notifications_sweep_task() -> int:
    return digest.notifications_sweep()


@shared_task(name="casework.digests_send")
def digests_send_task() -> int:
    return digest.digests_send()
