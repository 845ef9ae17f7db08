"""The lists an estimate counts with: published-list CSV files, imported lists, and Dalil's own people.

Each entry is a matcher record (patterns.matching.Record) with the coarse values an estimate may be split by
(nationality, region, period: the year). Names stay in memory; nothing here writes them anywhere.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from patterns.matching import Record, parse_birth_date

STRATA = ("nationality", "region", "period")
_YEAR = re.compile(r"^\d{4}$")  # a year alone, as lists print an unknown day: the matcher reads it as such


class ListError(ValueError):
    """A list that cannot be read: the message says which file, line and column."""


@dataclass
class Entry:
    record: Record
    strata: dict[str, str] = field(default_factory=dict)


@dataclass
class Source:
    label: str
    entries: list[Entry]
    # Pairs (entry index here, person id) a person has confirmed or rejected; only for imported lists.
    confirmed: list[tuple[int, object]] = field(default_factory=list)
    rejected: set[tuple[int, object]] = field(default_factory=set)
    person_ids: dict[object, int] = field(default_factory=dict)  # for Dalil's own people: person id -> entry index


def _year(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return str(parse_birth_date(text).year)
    except ValueError:
        return text[-4:] if text[-4:].isdigit() else (text[:4] if text[:4].isdigit() else "")


def read_csv_list(path: str, *, label: str | None = None) -> Source:
    """A published list in CSV, the one reader of the format (match_lists, estimate_population): header id,name
    and optional birth_date (YYYY-MM-DD, DD.MM.YYYY or a year alone), nationality, region, date."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = {c.strip().lower(): c for c in (reader.fieldnames or [])}
            missing = [c for c in ("id", "name") if c not in columns]
            if missing:
                raise ListError(_("%(path)s: missing column(s) %(columns)s in the header") % {"path": path, "columns": ", ".join(missing)})
            entries = [_entry(path, line, row, columns) for line, row in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise ListError(_("%(path)s: no such file") % {"path": path}) from None
    except UnicodeDecodeError:
        raise ListError(_("%(path)s: not UTF-8 text") % {"path": path}) from None
    except csv.Error as exc:
        raise ListError(_("%(path)s: not a readable CSV file (%(error)s)") % {"path": path, "error": exc}) from None
    return Source(label or path.rsplit("/", 1)[-1].removesuffix(".csv"), entries)


def _entry(path: str, line: int, row: dict, columns: dict[str, str]) -> Entry:
    def cell(name: str) -> str:
        return (row.get(columns[name]) or "").strip() if name in columns else ""

    birth = cell("birth_date")
    try:
        birth_date = (birth if _YEAR.match(birth) else parse_birth_date(birth)) if birth else None
    except ValueError as exc:
        raise ListError(_("%(path)s, line %(line)s: birth_date %(error)s") % {"path": path, "line": line, "error": exc}) from None
    record = Record(cell("id") or f"line {line}", [cell("name")], birth_date=birth_date, region=cell("region"))
    return Entry(record, {"nationality": cell("nationality").upper(), "region": cell("region"), "period": _year(cell("date"))})


def cases_source(user) -> Source:
    """Dalil's own people: those in cases the user may see, or (user None: the operator's command line, which
    holds the keys anyway) every case of the organisation."""
    from cases.models import Case, Event, Person
    from cases.selectors import cases_for
    from patterns.services import person_records

    cases = cases_for(user) if user is not None else Case.objects.all()
    people = list(Person.objects.filter(case__in=cases).select_related("case"))
    first = {}
    for case_id, day in Event.objects.filter(case__in=cases, date__isnull=False).values_list("case_id", "date").order_by("date"):
        first.setdefault(case_id, day)
    entries = []
    for person, record in zip(people, person_records(people)):
        day: datetime.date | None = first.get(person.case.pk)
        strata = {"nationality": person.nationality, "region": person.home_region, "period": str(day.year) if day else ""}
        entries.append(Entry(record, strata))
    source = Source(_("Dalil cases"), entries)
    source.person_ids = {e.record.id: i for i, e in enumerate(entries)}
    return source


def imported_source(user, source_list) -> Source:
    """An imported published list, with the match decisions its importers made (confirmed ones link for sure)."""
    from cases.selectors import cases_for
    from patterns.models import MatchDecision
    from patterns.list_imports import entry_record

    entries_qs = list(source_list.entries.order_by("line"))
    entries = [
        Entry(entry_record(e), {"nationality": (e.nationality or "").upper(), "region": e.region, "period": str(e.contract_date.year) if e.contract_date else ""})
        for e in entries_qs
    ]
    source = Source(source_list.title, entries)
    by_fingerprint: dict[str, list[int]] = {}
    for i, e in enumerate(entries_qs):
        by_fingerprint.setdefault(e.fingerprint, []).append(i)
    visible = set(cases_for(user).values_list("person_id", flat=True))
    for d in MatchDecision.objects.filter(source_list=source_list, person_id__in=visible):
        for i in by_fingerprint.get(d.fingerprint, []):
            if d.decision == MatchDecision.Decision.CONFIRMED:
                source.confirmed.append((i, d.person_id))
            else:
                source.rejected.add((i, d.person_id))
    return source
