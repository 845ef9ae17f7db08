import io
import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that this is a sound production configuration, and say in plain words what is not."

    def handle(self, *args, **options):
        problems = 0
        for ok, line in self._checks():
            self.stdout.write(("ok    " if ok else "FAIL  ") + line)
            problems += not ok
        if problems:
            raise CommandError(f"{problems} problem(s) found: this is not ready for production.")
        self.stdout.write(self.style.SUCCESS("Production configuration looks sound."))

    def _checks(self):
        yield (not settings.DEBUG, "debug is off" if not settings.DEBUG else "DALIL_DEBUG is on: turn it off")
        yield (
            bool(os.environ.get("DALIL_SECRET_KEY") or os.environ.get("DALIL_SECRET_KEY_FILE")),
            "DALIL_SECRET_KEY is set (not the development key)",
        )
        yield self._database()
        yield self._redis()
        yield from self._keys()
        yield self._deploy_check()
        yield self._storage()
        yield from self._celery()

    def _database(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            return False, "the database is SQLite: set DATABASE_URL to a PostgreSQL database"
        try:
            connection.ensure_connection()
        except Exception as exc:
            return False, f"PostgreSQL cannot be reached: {exc.__class__.__name__}"
        return True, "PostgreSQL is reachable"

    def _redis(self):
        from ops.health import _broker

        if not settings.REDIS_URL:
            return False, "REDIS_URL is not set: tasks would run inside web requests"
        try:
            return _broker(), "Redis is reachable"
        except Exception as exc:
            return False, f"Redis cannot be reached: {exc.__class__.__name__}"

    def _keys(self):
        kek = any(os.environ.get(n) for n in ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KMS_KEY_ID"))
        yield kek, "key-encryption keys are configured" if kek else "no key-encryption key: set DALIL_KEK_FILE or DALIL_KMS_KEY_ID (the development key must not be used)"
        if kek:
            try:
                from evidence import keyring

                keyring.check_keys()
                yield True, "key-encryption keys unwrap a test key"
            except Exception as exc:
                yield False, f"key-encryption keys do not work: {exc}"
        audit = any(os.environ.get(n) for n in ("DALIL_AUDIT_KEY", "DALIL_AUDIT_KEY_FILE"))
        yield audit, "the audit key is configured" if audit else "no audit key: set DALIL_AUDIT_KEY_FILE"
        signing = any(os.environ.get(n) for n in ("DALIL_AUDIT_SIGNING_KEY", "DALIL_AUDIT_SIGNING_KEY_FILE"))
        yield signing, "the checkpoint signing key is configured" if signing else "no checkpoint signing key: set DALIL_AUDIT_SIGNING_KEY_FILE"

    def _deploy_check(self):
        out = io.StringIO()
        try:
            call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        except Exception:
            first = next((ln.strip() for ln in out.getvalue().splitlines() if ln.strip().startswith("?")), "see `manage.py check --deploy`")
            return False, f"`check --deploy` reports problems: {first}"
        return True, "`check --deploy` is clean"

    def _storage(self):
        from ops.health import _storage

        try:
            _storage()
        except Exception as exc:
            return False, f"evidence storage cannot be reached: {exc.__class__.__name__}"
        return True, "evidence storage is reachable"

    def _celery(self):
        if not settings.REDIS_URL:
            return
        from config.celery import app

        try:
            replies = app.control.ping(timeout=2)
        except Exception:
            replies = []
        yield bool(replies), "a Celery worker answers" if replies else "no Celery worker answers: start `celery -A config worker`"
        import redis

        from ops.tasks import BEAT_KEY

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        try:
            beat = client.get(BEAT_KEY)
        except Exception:
            beat = None
        finally:
            client.close()
        fresh = beat is not None and time.time() - float(beat) < 180
        yield fresh, "Celery beat is running" if fresh else "Celery beat has not run in the last 3 minutes: start `celery -A config beat`"
