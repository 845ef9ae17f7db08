"""Count unique people across coalition members' exports, without a single name.

    python manage.py coalition_count A.json B.json [C.json …] [--estimate]

Prints one JSON object: each member's count, the number of unique people, the overlap of each pair of members
(small overlaps shown as "<k"), and with --estimate the population estimate with each member as a list.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from patterns.coalition.exchange import ExportError, count, read_export


class Command(BaseCommand):
    requires_migrations_checks = False

    @property
    def help(self):
        return _("Count unique people across coalition exports (linkage keys only).")

    def add_arguments(self, parser):
        parser.add_argument("exports", nargs="+", metavar="EXPORT.json")
        parser.add_argument("--estimate", action="store_true", help=_("Also estimate the population, each member being one list."))

    def handle(self, *args, **options):
        if len(options["exports"]) < 2:
            raise CommandError(_("Give at least two exports."))
        try:
            members = [read_export(path) for path in options["exports"]]
            result = count(members, estimate=options["estimate"])
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
