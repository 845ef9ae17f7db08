from celery import shared_task
from django.conf import settings

from intake import services


@shared_task(name="intake.destroy_expired")
def destroy_expired_task() -> int:
    return services.destroy_expired()


@shared_task(name="intake.fetch")
def fetch_task() -> int:
    if not settings.DALIL_INTAKE_FETCH_URL:
        return 0
    from intake.fetch import fetch_once

    return fetch_once()
