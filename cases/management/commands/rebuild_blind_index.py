"""Re-compute every person's blind-index entries (after a change of bit lengths or of the name normaliser)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Re-compute the blind index of every person, in committed batches.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        from cases.blind_index import rebuild_index

        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        try:
            people = rebuild_index(batch_size=batch_size)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Indexed %(people)s people.") % {"people": people})
