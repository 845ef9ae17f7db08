"""Reading a published list file (CSV or XLSX) into rows, and checking each row. No database here."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.names import normalise_name
from patterns.matching import parse_birth_date

# The fields a column can be mapped to, in the order the mapping form shows them.
FIELDS = ("full_name", "birth_date", "region", "nationality", "unit", "contract_date", "source", "source_url")
REQUIRED = ("full_name",)
MAX_NAME = 300


class ListFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, no header...)."""


def is_xlsx(filename: str, content: bytes) -> bool:
    return filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)]) of the first sheet or the CSV file."""
    if is_xlsx(filename, content):
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ListFileError(_("The file is not a readable XLSX workbook.")) from exc
        sheet = book.worksheets[0]
        rows = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        text = None
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None or "\x00" in text:
            raise ListFileError(_("The file is neither CSV text nor an XLSX workbook."))
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as exc:
            raise ListFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None
    if not rows or not any(rows[0]):
        raise ListFileError(_("The file has no header row."))
    header = [h or f"column {i + 1}" for i, h in enumerate(rows[0])]
    body = [(line, cells) for line, cells in enumerate(rows[1:], start=2) if any(cells)]
    return header, body


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first guess of which column holds which field, for the mapping form."""
    hints = {
        "full_name": ("name", "фио", "имя", "full"),
        "birth_date": ("birth", "dob", "рожд"),
        "region": ("region", "регион", "область", "oblast"),
        "nationality": ("national", "citizen", "гражд", "национ"),
        "unit": ("unit", "часть", "подраздел"),
        "contract_date": ("contract", "контракт"),
        "source_url": ("url", "link", "ссылка"),
        "source": ("source", "источник", "citation"),
    }
    mapping = {}
    for fld, words in hints.items():
        for column in header:
            if any(w in column.lower() for w in words) and column not in mapping.values():
                mapping[fld] = column
                break
    return mapping


@dataclass
class CheckedRow:
    line: int
    values: dict


def fingerprint(name: str, birth_date: datetime.date | None, region: str) -> str:
    """The identity of an entry across imports of a list: normalised name, date of birth, region."""
    key = "|".join((normalise_name(name), birth_date.isoformat() if birth_date else "", normalise_name(region)))
    return hashlib.sha256(key.encode()).hexdigest()


def check_row(line: int, cells: list[str], header: list[str], mapping: dict[str, str]) -> CheckedRow:
    """One good row, or ValueError with the reason (shown with its line number)."""
    by_column = dict(zip(header, cells))
    raw = {fld: (by_column.get(column, "") or "").strip() for fld, column in mapping.items() if column}
    name = raw.get("full_name", "")
    if not name:
        raise ValueError(_("the full name is empty"))
    if len(name) > MAX_NAME:
        raise ValueError(_("the full name is longer than %(n)s characters") % {"n": MAX_NAME})
    if not normalise_name(name):
        raise ValueError(_("the full name has no letters"))
    values = {"full_name": name}
    for fld in ("birth_date", "contract_date"):
        text = raw.get(fld, "")
        if not text:
            values[fld] = None
            continue
        try:
            day = parse_birth_date(text)
        except ValueError:
            raise ValueError(_("%(field)s %(text)s is not a date (use YYYY-MM-DD or DD.MM.YYYY)") % {"field": fld, "text": text[:40]}) from None
        if day > datetime.date.today():
            raise ValueError(_("%(field)s %(text)s is in the future") % {"field": fld, "text": text[:40]})
        if fld == "birth_date" and day.year < 1900:
            raise ValueError(_("birth_date %(text)s is before 1900") % {"text": text[:40]})
        values[fld] = day
    for fld, limit in (("region", 200), ("nationality", 100), ("unit", 200), ("source", 300), ("source_url", 500)):
        text = raw.get(fld, "")
        if len(text) > limit:
            raise ValueError(_("%(field)s is longer than %(n)s characters") % {"field": fld, "n": limit})
        values[fld] = text
    values["fingerprint"] = fingerprint(name, values["birth_date"], values["region"])
    values["name_key"] = normalise_name(name)[:300]
    return CheckedRow(line, values)
