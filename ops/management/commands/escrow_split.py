from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.escrow import EscrowError, split


class Command(BaseCommand):
    help = "Split a key file (KEK, audit key, signing key) into Shamir shares to give to trusted people."

    def add_arguments(self, parser):
        parser.add_argument("key_file")
        parser.add_argument("--shares", type=int, default=5)
        parser.add_argument("--threshold", type=int, default=3)

    def handle(self, *args, key_file, shares, threshold, **options):
        try:
            secret = Path(key_file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {key_file}: {exc.strerror}") from None
        try:
            lines = split(secret, shares=shares, threshold=threshold)
        except EscrowError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"{shares} shares; any {threshold} rebuild the key. Print each on its own sheet for one person.")
        for line in lines:
            self.stdout.write(line)
