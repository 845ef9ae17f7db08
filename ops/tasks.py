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
def backup_run(dest: str | None = None) -> None:
    """A backup into dest (default DALIL_BACKUP_DIR) with the configured retention. Safe to redeliver."""
    from ops import backup

    dest = dest or settings.DALIL_BACKUP_DIR
    if dest:
        backup.backup_create(dest=dest, keep=settings.DALIL_BACKUP_KEEP)
