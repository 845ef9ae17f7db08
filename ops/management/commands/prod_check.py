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
        yield from self._development_keys()
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

    def _development_keys(self):
        """No configured key may sit in the development key folder beside the data (var/keys/)."""
        dev = (Path(settings.DATA_DIR) / "keys").resolve()
        names = ("DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_AUDIT_KEY_FILE", "DALIL_AUDIT_SIGNING_KEY_FILE", "DALIL_TOKEN_PEPPER_FILE")
        inside = [n for n in names if os.environ.get(n) and Path(os.environ[n]).resolve().is_relative_to(dev)]
        if inside:
            yield False, _("%(names)s point into the development key folder %(dev)s: make keys with `manage.py keys_generate`") % {
                "names": ", ".join(inside), "dev": dev}
        else:
            yield True, _("no development key is in use")

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
        kek = any(os.environ.get(n) for n in ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KMS_KEY_ID"))
        yield kek, _("key-encryption keys are configured") if kek else _("no key-encryption key: set DALIL_KEK_FILE or DALIL_KMS_KEY_ID (the development key must not be used)")
        if kek:
            try:
                from keys import ring

                ring.check_keys()
                yield True, _("key-encryption keys unwrap a test key")
            except Exception as exc:
                yield False, _("key-encryption keys do not work: %(error)s") % {"error": exc}
        audit = any(os.environ.get(n) for n in ("DALIL_AUDIT_KEY", "DALIL_AUDIT_KEY_FILE"))
        yield audit, _("the audit key is configured") if audit else _("no audit key: set DALIL_AUDIT_KEY_FILE")
        signing = any(os.environ.get(n) for n in ("DALIL_AUDIT_SIGNING_KEY", "DALIL_AUDIT_SIGNING_KEY_FILE"))
        yield signing, _("the checkpoint signing key is configured") if signing else _("no checkpoint signing key: set DALIL_AUDIT_SIGNING_KEY_FILE")
        if audit and signing:
            try:
                from audit import keys as audit_keys

                audit_keys.check_keys()  # each key is read as its own purpose, and refused as any other
                yield True, _("the audit keys load for their purposes")
            except Exception as exc:
                yield False, _("the audit keys do not load: %(error)s") % {"error": exc}

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
