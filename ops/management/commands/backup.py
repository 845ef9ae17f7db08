from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evidence.keyring import KeyUnavailable
from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write an encrypted, consistent backup (database dump and evidence blobs) into DEST."

    def add_arguments(self, parser):
        parser.add_argument("dest", help="backup folder; backups accumulate in DEST/backups/, blobs in DEST/blobs/")
        parser.add_argument("--keep", type=int, default=settings.DALIL_BACKUP_KEEP, help="how many backups to keep (0: all)")

    def handle(self, *args, dest, keep, **options):
        try:
            folder = backup_create(dest=dest, keep=keep or None)
        except (BackupError, KeyUnavailable, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
