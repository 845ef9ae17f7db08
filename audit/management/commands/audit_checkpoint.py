from django.core.management.base import BaseCommand, CommandError

from audit import chain, checkpoints


class Command(BaseCommand):
    help = "Sign, store and publish a checkpoint of the audit log (refuses if the log does not extend the last one)."

    def handle(self, *args, **options):
        try:
            row = checkpoints.checkpoint_create()
        except (chain.ChainError, checkpoints.CheckpointError) as exc:
            raise CommandError(f"no checkpoint signed: {exc}") from None
        if row is None:
            self.stdout.write("The audit log is empty: nothing to sign.")
            return
        self.stdout.write(row.note)
