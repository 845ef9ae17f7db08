import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit import chain, checkpoints


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Print (JSON) an inclusion proof of one audit event in the log at a checkpoint; `verify_audit --proof` checks it.")

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("--checkpoint", metavar="FILE", help=_("A signed checkpoint; default: the newest stored one."))

    def handle(self, *args, event_id, **options):
        note = None
        if options["checkpoint"]:
            try:
                with open(options["checkpoint"], encoding="utf-8") as fh:
                    note = fh.read()
            except OSError as exc:
                raise CommandError(
                    _("cannot read the checkpoint %(path)s: %(error)s") % {"path": options["checkpoint"], "error": exc.strerror}
                ) from None
        try:
            proof = checkpoints.inclusion_proof(event_id, checkpoint=note)
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(proof, indent=2, ensure_ascii=False))
