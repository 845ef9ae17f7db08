"""Cross-check two published lists with each other: no database, no login.

    python manage.py match_lists A.csv B.csv [--min-score N]

Each CSV has a header with columns `id` and `name`, and optionally `birth_date` (YYYY-MM-DD or
DD.MM.YYYY) and `region`. Prints one JSON object per candidate pair, best first:
{"a": id, "b": id, "score": 0-100, "why": "..."}.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from patterns.estimation.sources import ListError, read_csv_list
from patterns.matching import DEFAULT_MIN_SCORE, Record, match_records


def _read(path: str) -> list[Record]:
    try:
        return [entry.record for entry in read_csv_list(path).entries]
    except ListError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Match the names of two published lists (CSV: id, name[, birth_date, region]); prints JSON lines, best first.")
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("a")
        parser.add_argument("b")
        parser.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE, help=_("cut-off, 0-100 (default %(default)s)") % {"default": DEFAULT_MIN_SCORE})

    def handle(self, *args, a, b, min_score, **options):
        if not 0 <= min_score <= 100:
            raise CommandError(_("--min-score must be between 0 and 100"))
        for match in match_records(_read(a), _read(b), min_score=min_score):
            self.stdout.write(json.dumps({"a": match.a, "b": match.b, "score": match.score, "why": match.why}, ensure_ascii=False))
