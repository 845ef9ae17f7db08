import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A Redis server of the test's own on loopback, so that killing it disturbs nobody else."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        need("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def spawn_worker(postgres, _media_root, private_redis, tmp_path):
    """Start real Celery workers on the private Redis, sharing the test database and media folder."""
    from django.db import connection

    workers = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": private_redis.url,
        "DALIL_CELERY_QUEUE": "dalil-faults",
        "DALIL_MEDIA_ROOT": str(_media_root),
        "DALIL_DB_CONN_MAX_AGE": "0",
        "DALIL_BROKER_VISIBILITY_TIMEOUT": "3",
        "DALIL_BROKER_RESTORE_SECONDS": "1",
        "DALIL_SECRET_KEY": os.environ.get("DALIL_SECRET_KEY", "fault-tests-only"),
    }
    env.pop("DALIL_TEST_DATABASE_NAME", None)

    log = open(tmp_path / "workers.log", "ab")

    def spawn():
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "-Q", "dalil-faults", "--concurrency", "1",
             "--pool", "prefork", "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        workers.append(proc)
        return proc

    yield spawn
    for proc in workers:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait(10)
    log.close()
    print((tmp_path / "workers.log").read_text(errors="replace")[-3000:])  # shown when a test fails


@pytest.fixture
def send_task(private_redis):
    from celery import Celery

    app = Celery(broker=private_redis.url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = True

    def send(name, *args):
        return app.send_task(name, args=list(args), queue="dalil-faults")

    yield send
    app.close()
