import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.escrow import EscrowError, combine


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Rebuild a key file from Shamir shares (one per line on standard input, or as arguments).")

    def add_arguments(self, parser):
        parser.add_argument("shares", nargs="*")
        parser.add_argument("--out", required=True, help=_("where to write the rebuilt key (must not exist)"))

    def handle(self, *args, shares, out, **options):
        lines = shares or [ln for ln in sys.stdin.read().splitlines() if ln.strip()]
        try:
            secret = combine(lines)
        except EscrowError as exc:
            raise CommandError(str(exc)) from None
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(_("%(path)s already exists; choose a new path") % {"path": out}) from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
        self.stdout.write(self.style.SUCCESS(_("Key rebuilt into %(path)s") % {"path": out}))
