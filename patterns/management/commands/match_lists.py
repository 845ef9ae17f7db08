"""Cross-check two published lists with each other: no database, no login.

    python manage.py match_lists A.csv B.csv [--min-score N]

Each CSV has a header with columns `id` and `name`, and optionally `birth_date` (YYYY-MM-DD or
DD.MM.YYYY) and `region`. Prints one JSON object per candidate pair, best first:
{"a": id, "b": id, "score": 0-100, "why": "..."}.
"""

import csv
import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from patterns.matching import DEFAULT_MIN_SCORE, Record, match_records, parse_birth_date

_YEAR = re.compile(r"^\d{4}$")  # a year alone, as lists print an unknown day: the matcher reads it as such


def _read(path: str) -> list[Record]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = {c.strip().lower(): c for c in (reader.fieldnames or [])}
            missing = [c for c in ("id", "name") if c not in columns]
            if missing:
                raise CommandError(_("%(path)s: missing column(s) %(columns)s in the header") % {"path": path, "columns": ", ".join(missing)})
            records = []
            for line, row in enumerate(reader, start=2):
                birth = (row.get(columns.get("birth_date", ""), "") or "").strip() if "birth_date" in columns else ""
                try:
                    birth_date = (birth if _YEAR.match(birth) else parse_birth_date(birth)) if birth else None
                except ValueError as exc:
                    raise CommandError(_("%(path)s, line %(line)s: birth_date %(error)s") % {"path": path, "line": line, "error": exc}) from None
                records.append(
                    Record(
                        (row[columns["id"]] or "").strip(),
                        [row[columns["name"]] or ""],
                        birth_date=birth_date,
                        region=(row.get(columns["region"]) or "") if "region" in columns else "",
                    )
                )
            return records
    except FileNotFoundError:
        raise CommandError(_("%(path)s: no such file") % {"path": path}) from None
    except UnicodeDecodeError:
        raise CommandError(_("%(path)s: not UTF-8 text") % {"path": path}) from None
    except csv.Error as exc:
        raise CommandError(_("%(path)s: not a readable CSV file (%(error)s)") % {"path": path, "error": exc}) from None


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
