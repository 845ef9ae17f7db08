"""Shared fixtures: the infrastructure the tests need, real or skipped (never skipped under CI=true)."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# beside it in a test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def need(reason: str):
    """Skip a test for lack of infrastructure, or fail it under CI, where nothing may be missing."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    if not IN_CI:
        return
    problems = []
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not os.environ.get("REDIS_URL") or not _reachable(os.environ["REDIS_URL"], 6379):
        problems.append("Redis (REDIS_URL) is not reachable")
    if not os.path.exists(CHROMIUM):
        problems.append(f"{CHROMIUM} is missing")
    if problems:
        pytest.exit("CI=true but " + "; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _eager_celery_by_default(settings):
    """Tasks run in-process unless a test asks for the real worker (celery_worker fixture)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        need("this test needs PostgreSQL (set DATABASE_URL)")
    return connection


@pytest.fixture
def celery_worker(transactional_db, _eager_celery_by_default):
    """A real Celery worker on Redis, started by .ci/run (or by hand) for the test database."""
    from config.celery import app

    if not os.environ.get("REDIS_URL"):
        need("this test needs a Celery worker on Redis (set REDIS_URL and start a worker)")
    from django.db import connection

    if connection.vendor != "postgresql":
        need("the real worker shares the test database only on PostgreSQL")
    replies = app.control.ping(timeout=3)
    if not replies:
        need("no Celery worker answered a ping")
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        need(f"browser tests need Debian's chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("the playwright package is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test stores blobs in its own folder."""
    media = tmp_path / "blobs"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media)}}}
    yield media
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _checkpoint_dir(settings, tmp_path):
    """Each test publishes audit checkpoints into its own folder, so no test sees another's."""
    folder = tmp_path / "audit-checkpoints"
    settings.DALIL_AUDIT_CHECKPOINT_DIR = str(folder)
    return folder


# --- The cast of users (access): built by the real services, see tests/cast.py ---
@pytest.fixture
def cast(db):
    """caseworker1 (owns `cast.case`), caseworker2, legal1 (case shared), admin1 (no case access), outsider (own case)."""
    from tests.cast import build_cast

    return build_cast()


@pytest.fixture
def caseworker1(cast):
    return cast.caseworker1


@pytest.fixture
def caseworker2(cast):
    return cast.caseworker2


@pytest.fixture
def legal1(cast):
    return cast.legal1


@pytest.fixture
def admin1(cast):
    return cast.admin1


@pytest.fixture
def outsider(cast):
    return cast.outsider


@pytest.fixture
def sign_in():
    """sign_in(client, user): signed in, second factor passed when the user's role requires one."""
    from tests.cast import sign_in as _sign_in

    return _sign_in
