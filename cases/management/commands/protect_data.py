"""Seal any protected value still in plaintext (all apps), rebuild the blind index, optionally VACUUM FULL.

    manage.py protect_data [--batch-size 1000] [--vacuum-full]

Resumable: run it again after an interruption and it continues. Migration cases 0003 does the same
for the cases app; this command covers later apps and re-runs. docs/data-protection.md explains --vacuum-full.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Encrypt remaining plaintext in protected columns, rebuild the blind index, optionally VACUUM (FULL).")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--vacuum-full", action="store_true",
            help=_("Afterwards rewrite the protected tables so that no dead row version keeps old plaintext (locks them)."),
        )

    def handle(self, *args, batch_size, vacuum_full, **options):
        from cases.blind_index import rebuild_index
        from cases.protect import seal_plaintext_rows, vacuum_protected_tables

        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        try:
            sealed = seal_plaintext_rows(batch_size=batch_size)
            people = rebuild_index(batch_size=batch_size)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Sealed %(sealed)s rows; indexed %(people)s people.") % {"sealed": sealed, "people": people})
        if vacuum_full:
            tables = vacuum_protected_tables(full=True)
            self.stdout.write(_("Vacuumed: %(tables)s.") % {"tables": ", ".join(tables)})
