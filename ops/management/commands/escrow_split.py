from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.escrow import EscrowError, split


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Split a key file (KEK, audit key, signing key) into Shamir shares to give to trusted people.")

    def add_arguments(self, parser):
        parser.add_argument("key_file")
        parser.add_argument("--shares", type=int, default=5)
        parser.add_argument("--threshold", type=int, default=3)

    def handle(self, *args, key_file, shares, threshold, **options):
        try:
            secret = Path(key_file).read_bytes()
        except OSError as exc:
            raise CommandError(_("cannot read %(path)s: %(error)s") % {"path": key_file, "error": exc.strerror}) from None
        try:
            lines = split(secret, shares=shares, threshold=threshold)
        except EscrowError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            _("%(shares)s shares; any %(threshold)s rebuild the key. Print each on its own sheet for one person.")
            % {"shares": shares, "threshold": threshold}
        )
        for line in lines:
            self.stdout.write(line)
