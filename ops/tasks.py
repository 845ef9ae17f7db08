import time

from celery import shared_task
from django.conf import settings

BEAT_KEY = "dalil:beat:heartbeat"


@shared_task(name="ops.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled every minute by beat, so prod_check can tell that beat is running."""
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.set(BEAT_KEY, str(time.time()), ex=600)
    finally:
        client.close()


@shared_task(name="ops.backup_run", ignore_result=True)
def backup_run() -> None:
    """Scheduled backup into DALIL_BACKUP_DIR with the configured retention."""
    from ops import backup

    if settings.DALIL_BACKUP_DIR:
        backup.backup_create(dest=settings.DALIL_BACKUP_DIR, keep=settings.DALIL_BACKUP_KEEP)
