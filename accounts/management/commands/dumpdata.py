"""Django's dumpdata, refused unless asked for by name: it writes protected fields decrypted.

Names, testimony and contact details are sealed in the database, but the ORM opens them, so a
fixture from `dumpdata` holds them in plain text. Backups are made sealed (docs/operations.md);
`--decrypted` is for a deliberate export on a trusted machine, is warned about and is audited.
"""

from django.core.management.base import CommandError
from django.core.management.commands import dumpdata
from django.db import transaction

from audit import actions
from audit.services import audit_record

WARNING = (
    "WARNING: this output holds protected fields DECRYPTED (names, testimony, contact details). "
    "Keep it only on an encrypted disk, never in a backup, a ticket or a chat, and destroy it after use."
)


class Command(dumpdata.Command):
    help = dumpdata.Command.help + " Refused without --decrypted: the output holds protected fields in plain text."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--decrypted", action="store_true",
                            help="Write the dump although it holds names and testimony decrypted (audited).")

    def handle(self, *app_labels, **options):
        if not options["decrypted"]:
            raise CommandError(
                "dumpdata writes protected fields decrypted (names, testimony, contact details). For backups use "
                "`manage.py backup` (docs/operations.md), which keeps them sealed. If you really need a decrypted "
                "dump, run it again with --decrypted."
            )
        self.stderr.write(self.style.WARNING(WARNING))
        with transaction.atomic():
            audit_record(actor=None, action=actions.DATA_DUMPED_DECRYPTED, system="dumpdata",
                         data={"apps": list(app_labels), "output": bool(options.get("output"))})
        return super().handle(*app_labels, **options)
