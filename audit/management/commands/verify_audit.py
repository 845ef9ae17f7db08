"""Recompute the audit chain and Merkle tree; check checkpoints; or check an inclusion proof offline."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit import chain, checkpoints, keys


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Verify the audit log (chain, tree, checkpoints), or with --proof FILE an inclusion proof offline.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                            help=_("A published checkpoint (signed note) the log must extend; may repeat."))
        parser.add_argument("--proof", metavar="FILE", help=_("Check this inclusion proof offline (no database)."))
        parser.add_argument("--consistency", metavar="FILE", help=_("Check this consistency proof offline (no database)."))
        parser.add_argument("--verifier-key", metavar="KEY",
                            help=_("The checkpoint verifier key (name+id+key); default: the configured signing key's."))
        parser.add_argument("--no-stored", action="store_true",
                            help=_("Ignore the checkpoints stored in the database and the publication directory."))

    def handle(self, *args, **options):
        vkey = options["verifier_key"]
        try:
            if options["proof"]:
                return self._proof(options["proof"], vkey)
            if options["consistency"]:
                old, new = checkpoints.verify_consistency_proof(self._json(options["consistency"]), verifier_key=vkey)
                self.stdout.write(
                    _("OK: the log %(origin)s of %(old)s events is a prefix of its log of %(new)s events")
                    % {"origin": new.origin, "old": old.size, "new": new.size}
                )
                return None
            return self._log(options["checkpoint"], vkey, stored=not options["no_stored"])
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(str(exc)) from None

    @staticmethod
    def _json(path):
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(_("cannot read the proof %(path)s: %(error)s") % {"path": path, "error": exc}) from None

    def _proof(self, path, vkey):
        proof = self._json(path)
        event = checkpoints.verify_inclusion_proof(proof, verifier_key=vkey)
        cp = checkpoints.parse_checkpoint(proof["checkpoint"], vkey)
        self.stdout.write(
            _("OK: event #%(seq)s (%(action)s by %(actor)s at %(at)s) is in the log %(origin)s of %(size)s events")
            % {"seq": event["seq"], "action": event["action"], "actor": event["actor_label"], "at": event["at"],
               "origin": cp.origin, "size": cp.size}
        )

    def _log(self, files, vkey, *, stored):
        known = []
        for path in files:
            try:
                with open(path, encoding="utf-8") as fh:
                    note = fh.read()
            except OSError as exc:
                raise CommandError(_("cannot read the checkpoint %(path)s: %(error)s") % {"path": path, "error": exc.strerror}) from None
            try:
                known.append((checkpoints.parse_checkpoint(note, vkey), _("checkpoint %(path)s") % {"path": path}))
            except checkpoints.CheckpointError as exc:
                raise CommandError(_("checkpoint %(path)s: %(error)s") % {"path": path, "error": exc}) from None
        if stored:
            for cp in checkpoints.stored_checkpoints():
                known.append((cp, _("stored checkpoint %(size)s") % {"size": cp.size}))
            published = checkpoints.published_latest()
            if published is not None:
                known.append((published, _("the published checkpoint")))
        verified = chain.verify(keys.audit_key(), sizes=[cp.size for cp, _source in known])
        for cp, source in known:
            checkpoints.check_against(verified, cp, source)
        self.stdout.write(
            _("OK: %(count)s events verified (chain and tree), root %(root)s, %(matched)s checkpoint(s) matched")
            % {"count": verified.count, "root": verified.root.hex(), "matched": len(known)}
        )
