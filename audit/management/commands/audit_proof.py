import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit import chain, checkpoints


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _(
            "Print (JSON) an inclusion proof of one audit event at a checkpoint, or with --consistency OLD NEW a consistency"
            " proof between two signed checkpoints; `verify_audit --proof` / `--consistency` checks them offline."
        )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int, nargs="?")
        parser.add_argument("--checkpoint", metavar="FILE", help=_("A signed checkpoint; default: the newest stored one."))
        parser.add_argument("--consistency", nargs=2, type=int, metavar=("OLD_SIZE", "NEW_SIZE"),
                            help=_("Prove that the checkpoint of OLD_SIZE events is a prefix of the one of NEW_SIZE."))

    def handle(self, *args, event_id=None, consistency=None, **options):
        if (event_id is None) == (consistency is None):
            raise CommandError(_("give either an event id or --consistency OLD_SIZE NEW_SIZE"))
        try:
            if consistency:
                proof = checkpoints.consistency_proof(*consistency)
            else:
                proof = checkpoints.inclusion_proof(event_id, checkpoint=self._note(options["checkpoint"]))
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(proof, indent=2, ensure_ascii=False))

    @staticmethod
    def _note(path):
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except OSError as exc:
            raise CommandError(_("cannot read the checkpoint %(path)s: %(error)s") % {"path": path, "error": exc.strerror}) from None
