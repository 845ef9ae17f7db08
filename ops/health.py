"""Liveness and readiness probes. They say only 'ok' or which dependency is down, never why in detail."""

import logging
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _broker() -> bool:
    from django.conf import settings

    if not settings.REDIS_URL:
        return True  # embedded default: tasks run in-process
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    finally:
        client.close()


def _storage() -> bool:
    # listdir of the root is cheap on disk and on S3 and touches no evidence content. On disk, a fresh
    # install has no blobs folder until its first upload: the storage is ready if the folder can be made.
    if isinstance(default_storage, FileSystemStorage):
        Path(default_storage.location).mkdir(parents=True, exist_ok=True, mode=0o700)
    default_storage.listdir("")
    return True


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


def readiness() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:  # a probe reports, it never raises
            log.warning("readiness check %s failed", name, exc_info=False)
            results[name] = False
    return results


@never_cache
@require_GET
def readyz(request):
    results = readiness()
    ok = all(results.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503)
