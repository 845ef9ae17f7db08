from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keys.ring import KeyUnavailable
from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Write an encrypted, consistent backup (database dump and evidence blobs) into DEST.")

    def add_arguments(self, parser):
        parser.add_argument("dest", help=_("backup folder; backups accumulate in DEST/backups/, blobs in DEST/blobs/"))
        parser.add_argument("--keep", type=int, default=settings.DALIL_BACKUP_KEEP, help=_("how many backups to keep (0: all)"))

    def handle(self, *args, dest, keep, **options):
        try:
            folder = backup_create(dest=dest, keep=keep or None)
        except (BackupError, KeyUnavailable, OSError) as exc:
            raise CommandError(_("backup failed: %(error)s") % {"error": exc}) from None
        self.stdout.write(self.style.SUCCESS(_("Backup written to %(folder)s") % {"folder": folder}))
