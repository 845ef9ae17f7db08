from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit import chain, checkpoints


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Sign, store and publish a checkpoint of the audit log (refuses if the log does not extend the last one).")

    def handle(self, *args, **options):
        try:
            row = checkpoints.checkpoint_create()
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(_("no checkpoint signed: %(error)s") % {"error": exc}) from None
        if row is None:
            self.stdout.write(_("The audit log is empty: nothing to sign."))
            return
        self.stdout.write(row.note)
