"""Background processing by a real Celery worker (a separate process, sharing the database, storage and keys)."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from evidence import blobs
from keys import ring
from evidence.models import EvidenceFile

from .conftest import KEY_SETTINGS
from .test_copies_and_cli import _jpeg_with_gps

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def worker_storage(settings):
    """The worker reads settings from its environment, not this test's overrides: use the same places and keys."""
    data_dir = Path(os.environ.get("DALIL_DATA_DIR") or Path(django_settings.BASE_DIR) / "var")
    media = Path(os.environ.get("DALIL_MEDIA_ROOT") or data_dir / "blobs")
    settings.DATA_DIR = data_dir
    for name in KEY_SETTINGS:  # back to the environment (or the shared development key under DATA_DIR/keys)
        setattr(settings, name, os.environ.get(name, ""))
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media)}}}
    ring.reset()
    made = []
    yield made
    for name in made:
        blobs.delete(name)


def _wait_until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_worker_processes_an_upload(celery_worker, worker_storage):
    from tests.cast import build_cast

    from .helpers import attach

    cast = build_cast()
    f = attach(cast, _jpeg_with_gps(), name="photo.jpg")
    worker_storage.append(f.blob_name)
    assert _wait_until(lambda: EvidenceFile.objects.get(pk=f.pk).state != "processing"), "the worker did not process the file"
    f.refresh_from_db()
    assert f.state == "ready" and f.progress == 100 and f.sniffed_type == "image/jpeg"
    copy = f.preview
    assert copy is not None
    worker_storage.append(copy.blob_name)
    assert f.custody_events.filter(action="copy_made", actor_label="system:evidence").exists()


def test_rotation_task_reports_progress(celery_worker, worker_storage):
    from keys.tasks import rotate_keys_task

    result = rotate_keys_task.delay()
    report = result.get(timeout=60)
    assert report["kek_id"] == ring.current_kek_id()
