from celery import shared_task

from retention import services


@shared_task(name="retention.review_prepare")
def review_prepare_task() -> int:
    return services.review_prepare().pk
