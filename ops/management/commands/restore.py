from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keys.ring import KeyUnavailable
from ops.backup import BackupError, restore


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Restore a backup into an empty installation, then verify the audit log and the evidence.")

    def add_arguments(self, parser):
        parser.add_argument("src", help=_("a backup folder (DEST or DEST/backups/<timestamp>); the newest is used"))

    def handle(self, *args, src, **options):
        try:
            manifest = restore(src=src)
        except (BackupError, KeyUnavailable, OSError) as exc:
            raise CommandError(_("restore refused: %(error)s") % {"error": exc}) from None
        self.stdout.write(
            _("Restored the database and %(blobs)s blob(s) from the backup of %(created)s.")
            % {"blobs": len(manifest["blobs"]), "created": manifest["created_at"]}
        )
        for command in ("verify_audit", "verify_evidence"):
            if command in get_commands():
                self.stdout.write(_("Running %(command)s…") % {"command": command})
                call_command(command, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS(_("Restore complete and verified.")))
