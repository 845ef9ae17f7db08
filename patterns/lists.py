"""Reading a published list file (CSV or XLSX) into rows, and checking each row. No database here."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cases.names import normalise_name
from keys import blind_index
from patterns.matching import parse_birth_date

# The fields a column can be mapped to, in the order the mapping form shows them.
FIELDS = ("full_name", "birth_date", "region", "nationality", "unit", "contract_date", "source", "source_url")
REQUIRED = ("full_name",)
MAX_NAME = 300
# The blind index whose keyed token identifies an entry across imports (see fingerprint()).
FINGERPRINT_INDEX = "list-entry"
# XLSX is a zip of XML, which packs 5 to 30 times; a decompression bomb packs a thousand times. A member
# bigger than SMALL_MEMBER that packs more than MAX_RATIO times is refused before anything is inflated.
MAX_RATIO = 200
SMALL_MEMBER = 1024 * 1024
MAX_MEMBERS = 1000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:?[A-Z]*(\d*)"')


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


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_xlsx(content: bytes) -> None:
    """Refuse a workbook that would unpack beyond the limits, from the zip's directory alone: nothing is inflated.

    The declared sizes bound what any reader can inflate: zipfile stops a member at its declared size and
    fails its CRC past it. Raises ListFileError with the reason.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            members = book.infolist()
            if len(members) > MAX_MEMBERS:
                raise ListFileError(_("The workbook has more than %(n)s parts.") % {"n": MAX_MEMBERS})
            limit = settings.DALIL_LIST_MAX_UNPACKED_BYTES
            if sum(member.file_size for member in members) > limit:
                raise ListFileError(_("The workbook unpacks to more than %(size)s, the limit for a list.") % {"size": _mb(limit)})
            for member in members:
                if member.file_size > SMALL_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                    raise ListFileError(_("The workbook is compressed far more than a real list (a decompression bomb?); it was not opened."))
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with book.open(member) as sheet:
                        _check_declared_rows(sheet.read(4096))
    except ListFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError):
        raise ListFileError(_("The file is not a readable XLSX workbook.")) from None


def _check_declared_rows(head: bytes) -> None:
    match = _DIMENSION.search(head)
    if match and match.group(1) and int(match.group(1)[:12]) > settings.DALIL_LIST_MAX_ROWS + 1:
        raise ListFileError(_("The list has more than %(n)s rows, the limit for one file.") % {"n": settings.DALIL_LIST_MAX_ROWS})


def check_file(filename: str, content: bytes) -> None:
    """The checks made before a file is stored (in the request): size, and for XLSX the unpacked size."""
    if len(content) > settings.DALIL_LIST_MAX_BYTES:
        raise ListFileError(_("The file is larger than %(size)s, the limit for a list.") % {"size": _mb(settings.DALIL_LIST_MAX_BYTES)})
    if not content.strip():
        raise ListFileError(_("The file is empty."))
    if is_xlsx(filename, content):
        check_xlsx(content)
    else:
        _csv_text(content)  # decoding is no parsing: a binary file is refused at once, nothing stored


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    check_xlsx(content)
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ListFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(c) for c in row]
    finally:
        book.close()


def _csv_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ListFileError(_("The file is neither CSV text nor an XLSX workbook."))


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _csv_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield [c.strip() for c in row]
    except csv.Error as exc:
        raise ListFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def read_rows(filename: str, content: bytes, *, progress: Callable[[int], None] | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)]) of the first sheet or the CSV file. Runs in the import task.

    Stops with ListFileError at DALIL_LIST_MAX_ROWS rows, whatever the file declared.
    """
    limit = settings.DALIL_LIST_MAX_ROWS
    rows = []
    for row_number, cells in enumerate(_xlsx_rows(content) if is_xlsx(filename, content) else _csv_rows(content)):
        if row_number > limit:
            raise ListFileError(_("The list has more than %(n)s rows, the limit for one file.") % {"n": limit})
        rows.append(cells)
        if progress and row_number and row_number % 1000 == 0:
            progress(row_number)
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


def fingerprint(name: str, birth_date: datetime.date | None, region: str, *, key: bytes | None = None) -> str:
    """The identity of an entry across imports of a list: a keyed token of normalised name, date of birth, region."""
    value = "|".join((normalise_name(name), birth_date.isoformat() if birth_date else "", normalise_name(region)))
    return blind_index.identity_token(FINGERPRINT_INDEX, value, key=key)


def fingerprint_key() -> bytes:
    return blind_index.index_key(FINGERPRINT_INDEX)


def check_row(line: int, cells: list[str], header: list[str], mapping: dict[str, str], *, key: bytes | None = None) -> CheckedRow:
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
            # The reason does not repeat the cell: with a column mapped wrongly it would be a name, and the
            # reasons are stored unsealed for the progress page.
            raise ValueError(_("%(field)s is not a date (use YYYY-MM-DD or DD.MM.YYYY)") % {"field": fld}) from None
        if day > datetime.date.today():
            raise ValueError(_("%(field)s is in the future") % {"field": fld})
        if fld == "birth_date" and day.year < 1900:
            raise ValueError(_("birth_date is before 1900"))
        values[fld] = day
    for fld, limit in (("region", 200), ("nationality", 100), ("unit", 200), ("source", 300), ("source_url", 500)):
        text = raw.get(fld, "")
        if len(text) > limit:
            raise ValueError(_("%(field)s is longer than %(n)s characters") % {"field": fld, "n": limit})
        values[fld] = text
    values["fingerprint"] = fingerprint(name, values["birth_date"], values["region"], key=key)
    return CheckedRow(line, values)
