from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from evidence.keyring import KeyUnavailable
from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty installation, then verify the audit log and the evidence."

    def add_arguments(self, parser):
        parser.add_argument("src", help="a backup folder (DEST or DEST/backups/<timestamp>); the newest is used")

    def handle(self, *args, src, **options):
        try:
            manifest = restore(src=src)
        except (BackupError, KeyUnavailable, OSError) as exc:
            raise CommandError(f"restore refused: {exc}") from None
        self.stdout.write(f"Restored the database and {len(manifest['blobs'])} blob(s) from the backup of {manifest['created_at']}.")
        for command in ("verify_audit", "verify_evidence"):
            if command in get_commands():
                self.stdout.write(f"Running {command}…")
                call_command(command, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("Restore complete and verified."))
