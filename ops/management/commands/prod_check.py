import io
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Check that this is a sound production configuration, and say in plain words what is not.")

    def handle(self, *args, **options):
        problems = 0
        for ok, line in self._checks():
            self.stdout.write(("ok    " if ok else "FAIL  ") + line)
            problems += not ok
        if problems:
            raise CommandError(_("%(count)s problem(s) found: this is not ready for production.") % {"count": problems})
        self.stdout.write(self.style.SUCCESS(_("Production configuration looks sound.")))

    def _checks(self):
        yield (not settings.DEBUG, _("debug is off") if not settings.DEBUG else _("DALIL_DEBUG is on: turn it off"))
        yield (
            bool(os.environ.get("DALIL_SECRET_KEY") or os.environ.get("DALIL_SECRET_KEY_FILE")),
            _("DALIL_SECRET_KEY is set (not the development key)"),
        )
        yield self._database()
        yield self._redis()
        yield from self._keys()
        yield from self._build()
        yield self._deploy_check()
        yield self._storage()
        yield from self._celery()

    def _build(self):
        from ops.build import catalogue_problems, static_problems

        for name, problems in ((_("static files"), static_problems()), (_("translation catalogues"), catalogue_problems())):
            if problems:
                yield False, "; ".join(problems[:3]) + (f" (+{len(problems) - 3})" if len(problems) > 3 else "")
            else:
                yield True, _("%(what)s are built") % {"what": name}

    def _database(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            return False, _("the database is SQLite: set DATABASE_URL to a PostgreSQL database")
        try:
            connection.ensure_connection()
        except Exception as exc:
            return False, _("PostgreSQL cannot be reached: %(error)s") % {"error": exc.__class__.__name__}
        return True, _("PostgreSQL is reachable")

    def _redis(self):
        from ops.health import _broker

        if not settings.REDIS_URL:
            return False, _("REDIS_URL is not set: tasks would run inside web requests")
        try:
            return _broker(), _("Redis is reachable")
        except Exception as exc:
            return False, _("Redis cannot be reached: %(error)s") % {"error": exc.__class__.__name__}

    def _keys(self):
        """Every key purpose: configured (or a KMS), of its own purpose, and no development key (keys.checks)."""
        from keys import ring
        from keys.checks import key_status
        from keys.purposes import KEY_PURPOSES

        kek_ok = False
        for row in key_status():
            purpose = KEY_PURPOSES[row["purpose"]]
            names = {"title": purpose.title, "purpose": purpose.name, "setting": purpose.file_setting, "error": row["error"]}
            make = _("make one with `manage.py keys_generate --purpose %(purpose)s` and set %(setting)s") % names
            if row["error"]:
                yield False, _("%(title)s: %(error)s") % names
            elif row["source"] == "development":
                yield False, _("the %(title)s is a development key kept beside the data: %(make)s") % {**names, "make": make}
            elif row["source"] == "missing":
                yield False, _("no %(title)s: %(make)s") % {**names, "make": make}
            else:
                kek_ok = kek_ok or purpose.name == "kek"
                yield True, _("the %(title)s is configured (id %(id)s)") % {**names, "id": row["key_id"] or row["source"]}
        if kek_ok:
            try:
                ring.check_keys()
                yield True, _("key-encryption keys unwrap a test key")
            except Exception as exc:
                yield False, _("key-encryption keys do not work: %(error)s") % {"error": exc}

    def _deploy_check(self):
        out = io.StringIO()
        try:
            call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        except Exception as exc:
            found = [ln.strip() for ln in out.getvalue().splitlines() if re.match(r"^\s*\S+: \(\w+\.[EW]\d+\)", ln)]
            return False, _("`check --deploy` reports problems:") + "\n      " + "\n      ".join(found or [str(exc)])
        return True, _("`check --deploy` is clean")

    def _storage(self):
        from ops.health import _storage

        try:
            _storage()
        except Exception as exc:
            return False, _("evidence storage cannot be reached: %(error)s") % {"error": exc.__class__.__name__}
        return True, _("evidence storage is reachable")

    def _celery(self):
        if not settings.REDIS_URL:
            return
        from config.celery import app

        try:
            replies = app.control.ping(timeout=2)
        except Exception:
            replies = []
        yield bool(replies), _("a Celery worker answers") if replies else _("no Celery worker answers: start `celery -A config worker`")
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
        yield fresh, _("Celery beat is running") if fresh else _("Celery beat has not run in the last 3 minutes: start `celery -A config beat`")
