"""How many people are on no list: multiple-systems estimation from overlapping lists.

    python manage.py estimate_population A.csv B.csv [C.csv …] [--cases [--user NAME]] [--by nationality|region|period]

Lists as match_lists reads them (header id,name,birth_date; optional nationality, region, date). With --cases,
Dalil's people are one more list: those of the cases --user may see, or all without --user. Prints one JSON object per stratum.
docs/estimation.md explains the method and how to read the interval.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from patterns.estimation.population import estimate_population
from audit import actions
from audit.services import audit_record
from patterns.estimation.sources import STRATA, ListError, cases_source, read_csv_list
from patterns.estimation.cli import add_user_option, user_from


class Command(BaseCommand):
    @property
    def help(self):
        return _("Estimate how many people no list caught, from two to six overlapping lists; prints JSON lines.")

    def add_arguments(self, parser):
        parser.add_argument("lists", nargs="*", metavar="LIST.csv")
        parser.add_argument("--cases", action="store_true", help=_("Add Dalil's own people as one more list."))
        add_user_option(parser)
        parser.add_argument("--by", choices=STRATA, help=_("One estimate per nationality, region or period (year)."))

    def handle(self, *args, **options):
        try:
            sources = [read_csv_list(path) for path in options["lists"]]
        except ListError as exc:
            raise CommandError(str(exc)) from None
        if options["cases"]:
            user = user_from(options)
            sources.append(cases_source(user))
            with transaction.atomic():
                audit_record(actor=user, action=actions.POPULATION_ESTIMATED, system="estimate_population",
                             data={"lists": len(sources), "by": options["by"] or ""})
        if not 2 <= len(sources) <= 6:
            raise CommandError(_("Give two to six lists (with --cases counting as one), not %(n)s.") % {"n": len(sources)})
        for result in estimate_population(sources, by=options["by"]):
            self.stdout.write(json.dumps(result, ensure_ascii=False))
