"""Repair keys of the layout before key purposes (keys/repair.py). Resumable: run it again after any stop."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keys import ring


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _(
            "Move each key of the old layout to the folder of its purpose and re-wrap whatever was wrapped "
            "under a key of another purpose. Resumable and idempotent."
        )

    def handle(self, *args, **opts):
        from keys.repair import repair

        last = {}

        def progress(done, total, label):
            if total and (done == total or done % 100 == 0) and last.get(label) != done:
                last[label] = done
                self.stdout.write(f"  {label}: {done}/{total}")

        try:
            report = repair(progress=progress)
        except (ImproperlyConfigured, ring.KeyUnavailable) as exc:
            raise CommandError(_("Repair stopped (run it again to resume): %(error)s") % {"error": exc}) from None
        for name in report["converted"]:
            self.stdout.write(_("moved key %(name)s") % {"name": name})
        total = sum(v or 0 for v in report["rewrapped"].values())
        self.stdout.write(self.style.SUCCESS(
            _("%(total)s key(s) re-wrapped under %(kek)s; every key now serves one purpose.")
            % {"total": total, "kek": report["kek_id"]}
        ))
