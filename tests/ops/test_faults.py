"""Faults a production install meets: the database restarting under the web tier."""

import json
import urllib.request

import pytest
from django.db import connections
from tests.conftest import need


def _ready(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.django_db(transaction=True)
def test_the_next_request_succeeds_after_postgresql_drops_every_connection(postgres, live_server):
    # The live server keeps its connection between requests (CONN_MAX_AGE), as gunicorn does.
    assert _ready(live_server.url)["checks"]["database"] is True

    # What a restart does to every open session of this database, done without stopping the
    # server that other processes share: terminate every backend connected to it but our own. The test's
    # own connection is open too, so there is always one to terminate, whether or not the server's
    # connection is in pg_stat_activity yet.
    connections["default"].ensure_connection()
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
    finally:
        killer.close()
    connections["default"].close()

    # CONN_HEALTH_CHECKS makes the next request notice the dead connection and open a new one.
    assert _ready(live_server.url) == {"status": "ok", "checks": {"database": True, "broker": True, "storage": True}}


def _seed_blobs(count: int, size: int) -> None:
    import os as _os

    from evidence.services import evidence_attach
    from tests.cast import make_user
    from tests.factories import make_case

    actor = make_user("photographer", password=None)
    case = make_case(actor=actor)
    for i in range(count):
        evidence_attach(actor=actor, case=case, content=_os.urandom(size), original_name=f"photo-{i}.bin")


def _wait(predicate, timeout: float, what: str):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _completed(dest):
    folder = dest / "backups"
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.exists() else []


def _partial(dest):
    folder = dest / "backups"
    return list(folder.glob(".*.partial")) if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_is_redelivered_and_the_task_takes_effect_once(spawn_worker, send_task, tmp_path):
    import os
    import signal

    from ops.backup import backup_verify

    _seed_blobs(60, 2 << 20)  # enough blobs that copying them takes a moment
    dest = tmp_path / "dest"
    first = spawn_worker()
    send_task("ops.backup_run", str(dest))
    _wait(lambda: _partial(dest), 60, "the backup to start")
    os.killpg(first.pid, signal.SIGKILL)  # the worker's host dies mid-backup
    first.wait(10)
    assert _completed(dest) == []

    spawn_worker()  # another worker takes the unacknowledged task once its visibility timeout passes
    done = _wait(lambda: _completed(dest), 90, "the redelivered backup to finish")
    assert len(done) == 1
    assert _partial(dest) == []
    assert len(backup_verify(src=dest)["blobs"]) >= 60


@pytest.mark.django_db(transaction=True)
def test_a_task_survives_redis_restarting_under_it(spawn_worker, send_task, private_redis, tmp_path):
    _seed_blobs(60, 2 << 20)
    dest = tmp_path / "dest"
    spawn_worker()
    send_task("ops.backup_run", str(dest))
    _wait(lambda: _partial(dest), 60, "the backup to start")
    private_redis.stop()
    private_redis.start()  # Redis comes back empty: it keeps nothing on disk
    _wait(lambda: len(_completed(dest)) == 1, 60, "the running backup to finish")

    # The worker reconnects by itself and takes new work.
    send_task("ops.backup_run", str(dest))
    _wait(lambda: len(_completed(dest)) == 2, 60, "a backup sent after the restart to finish")


@pytest.fixture
def full_disk(tmp_path, settings):
    """A 256 KiB tmpfs as the evidence storage: the disk fills during any larger upload."""
    import subprocess

    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        need("mounting a small tmpfs needs root: " + done.stderr.decode().strip()[:80])
    settings.MEDIA_ROOT = str(mount)
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(mount)}}}
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.django_db
def test_a_full_disk_during_upload_gives_a_clear_error_and_leaves_nothing(client, full_disk, cast, sign_in):
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from evidence.models import EvidenceFile

    case = cast.case
    sign_in(client, cast.caseworker1)
    upload = SimpleUploadedFile("interview.ogg", os.urandom(2 << 20), content_type="audio/ogg")
    response = client.post(reverse("evidence:upload", kwargs={"reference": case.reference}), {"file": upload, "source_label": "Sister"})

    assert response.status_code in (400, 507)
    assert b"space" in response.content.lower()
    assert EvidenceFile.objects.count() == 0
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []
