"""Encode this organisation's people for a coalition count: no name, no reference, no id that leads back.

    python manage.py coalition_export --secret-file S OUT.json [--user NAME]

S holds the secret the coalition's members agreed on (at least 16 bytes). OUT.json follows
docs/coalition-export.schema.json; docs/coalition.md says what it reveals.
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from patterns.coalition.clk import read_secret
from patterns.coalition.exchange import ExportError, build_export
from patterns.estimation.cli import add_user_option, user_from


class Command(BaseCommand):
    @property
    def help(self):
        return _("Write this organisation's people as linkage keys for a coalition count (no names).")

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.json")
        parser.add_argument("--secret-file", required=True, help=_("The file holding the coalition's shared secret."))
        add_user_option(parser)

    def handle(self, *args, **options):
        user = user_from(options)
        try:
            secret = read_secret(options["secret_file"])
            export = build_export(user, secret)
        except OSError as exc:
            raise CommandError(_("%(path)s: cannot be read (%(error)s)") % {"path": options["secret_file"], "error": exc.strerror}) from None
        except (ValueError, ExportError) as exc:
            raise CommandError(str(exc)) from None
        try:
            fd = os.open(options["out"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(_("%(path)s exists; choose another name.") % {"path": options["out"]}) from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(export, fh)
        with transaction.atomic():
            audit_record(actor=user, action=actions.COALITION_EXPORTED, system="coalition_export", data={"people": len(export["records"])})
        self.stdout.write(_("%(n)s people written to %(path)s.") % {"n": len(export["records"]), "path": options["out"]})
