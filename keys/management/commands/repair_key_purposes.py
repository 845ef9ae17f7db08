"""Repair keys of the layout before key purposes (keys/repair.py). Resumable: run it again after any stop."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.progress import printed_progress
from keys import ring
from keys.purposes import KEY_PURPOSES


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _(
            "Move each key of the old layout to the folder of its purpose and re-wrap whatever was wrapped "
            "under a key of another purpose. Resumable and idempotent."
        )

    def add_arguments(self, parser):
        parser.add_argument("--convert", metavar="FILE", help=_("rewrite one configured key file of the old format in place"))
        parser.add_argument("--purpose", choices=sorted(KEY_PURPOSES), help=_("the purpose of the key in --convert FILE"))
        parser.add_argument("--id", dest="key_id", help=_("the key id (default: the id the key had)"))

    def handle(self, *args, **opts):
        from keys.repair import repair

        if opts["convert"]:
            return self._convert(opts)

        progress = printed_progress(self.stdout.write)
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

    def _convert(self, opts):
        from keys.repair import convert_file

        if not opts["purpose"]:
            raise CommandError(_("--convert needs --purpose."))
        try:
            key = convert_file(opts["convert"], KEY_PURPOSES[opts["purpose"]], key_id=opts["key_id"])
        except OSError as exc:
            raise CommandError(_("%(path)s cannot be read: %(error)s") % {"path": opts["convert"], "error": exc.strerror}) from None
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("%(path)s holds the %(purpose)s key %(id)s") % {
            "path": opts["convert"], "purpose": key.purpose.name, "id": key.id,
        })
