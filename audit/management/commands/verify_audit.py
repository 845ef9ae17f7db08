"""Recompute the audit chain and Merkle tree; check checkpoints; or check an inclusion proof offline."""

import json

from django.core.management.base import BaseCommand, CommandError

from audit import chain, checkpoints, keys


class Command(BaseCommand):
    help = "Verify the audit log (chain, tree, checkpoints), or with --proof FILE an inclusion proof offline."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                            help="A published checkpoint (signed note) the log must extend; may repeat.")
        parser.add_argument("--proof", metavar="FILE", help="Check this inclusion proof offline (no database).")
        parser.add_argument("--verifier-key", metavar="KEY",
                            help="The checkpoint verifier key (name+id+key); default: the configured signing key's.")
        parser.add_argument("--no-stored", action="store_true",
                            help="Ignore the checkpoints stored in the database and the publication directory.")

    def handle(self, *args, **options):
        vkey = options["verifier_key"]
        try:
            if options["proof"]:
                return self._proof(options["proof"], vkey)
            return self._log(options["checkpoint"], vkey, stored=not options["no_stored"])
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(str(exc)) from None

    def _proof(self, path, vkey):
        try:
            with open(path, encoding="utf-8") as fh:
                proof = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the proof {path}: {exc}") from None
        event = checkpoints.verify_inclusion_proof(proof, verifier_key=vkey)
        cp = checkpoints.parse_checkpoint(proof["checkpoint"], vkey)
        self.stdout.write(
            f"OK: event #{event['seq']} ({event['action']} by {event['actor_label']} at {event['at']}) is in"
            f" the log {cp.origin} of {cp.size} events"
        )

    def _log(self, files, vkey, *, stored):
        known = []
        for path in files:
            try:
                with open(path, encoding="utf-8") as fh:
                    note = fh.read()
            except OSError as exc:
                raise CommandError(f"cannot read the checkpoint {path}: {exc.strerror}") from None
            try:
                known.append((checkpoints.parse_checkpoint(note, vkey), f"checkpoint {path}"))
            except checkpoints.CheckpointError as exc:
                raise CommandError(f"checkpoint {path}: {exc}") from None
        if stored:
            for cp in checkpoints.stored_checkpoints():
                known.append((cp, f"stored checkpoint {cp.size}"))
            published = checkpoints.published_latest()
            if published is not None:
                known.append((published, "the published checkpoint"))
        verified = chain.verify(keys.audit_key(), sizes=[cp.size for cp, _ in known])
        for cp, source in known:
            checkpoints.check_against(verified, cp, source)
        self.stdout.write(
            f"OK: {verified.count} events verified (chain and tree), root {verified.root.hex()},"
            f" {len(known)} checkpoint(s) matched"
        )
