"""Dates with a precision: 'March 2024' is a month, not the first of March.

People type dates as they write them: 12.03.2024, 2024-03-12, 03.2024, 2024-03, 2024, "March 2024",
"марта 2024", and "about"/"около"/"~" in front when they are not sure. Dates are shown in one style per
language (config/formats): "1 Dec 2026", "1 декабря 2026 г."; an approximate month is "about June 2023",
"около июня 2023 г." (the genitive, from the translated format below).
"""

import datetime
import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.widgets import DayInput  # noqa: F401 - the date inputs of the forms that type days

DAY, MONTH, YEAR, APPROXIMATE, UNKNOWN = "day", "month", "year", "approximate", "unknown"

_NUMERIC = [
    re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$"),  # 2024, 2024-03, 2024-03-12
    re.compile(r"^(?:(?P<day>\d{1,2})[./])?(?P<month>\d{1,2})[./](?P<year>\d{4})$"),  # 12.03.2024, 03.2024, 12/03/2024
]
_WORDS = re.compile(r"^(?:(?P<day>\d{1,2})\s+)?(?P<name>[^\W\d_]+)\.?\s+(?P<year>\d{4})(?:\s*(?:г|года?)\.?)?$")
_ABOUT = re.compile(r"^(?:about|around|approx(?:imately|\.)?|circa|c\.|ca\.|около|примерно|приблизительно|~)\s*", re.I)
# Month names as people type them, in English and Russian (nominative and genitive), by their first letters.
_MONTH_STEMS = {
    1: ("jan", "янв"), 2: ("feb", "фев"), 3: ("mar", "мар"), 4: ("apr", "апр"), 5: ("may", "мая", "май"),
    6: ("jun", "июн"), 7: ("jul", "июл"), 8: ("aug", "авг"), 9: ("sep", "сен"), 10: ("oct", "окт"),
    11: ("nov", "ноя"), 12: ("dec", "дек"),
}


class DateParseError(ValueError):
    pass


def _month_number(name: str) -> int | None:
    name = name.lower()
    for number, stems in _MONTH_STEMS.items():
        if any(name.startswith(stem) for stem in stems):
            return number
    return None


def _split(text: str) -> tuple[str | None, str | None, str] | None:
    """(day, month, year) as typed, or None when the text is no date."""
    for pattern in _NUMERIC:
        if match := pattern.match(text):
            return match.group("day"), match.group("month"), match.group("year")
    if match := _WORDS.match(text):
        month = _month_number(match.group("name"))
        if month is not None:
            return match.group("day"), str(month), match.group("year")
    return None


def parse_approximate_date(text: str, *, approximate: bool = False) -> tuple[datetime.date | None, str]:
    """'2024' -> year, '03.2024' or '2024-03' -> month, '12.03.2024' or '2024-03-12' -> day; empty -> unknown.
    "about …" in front marks the date approximate, as the checkbox does."""
    if not text or not text.strip():
        return None, UNKNOWN
    cleaned = " ".join(text.split())
    if about := _ABOUT.match(cleaned):
        approximate, cleaned = True, cleaned[about.end():]
    parts = _split(cleaned)
    if parts is None:
        raise DateParseError(_("Enter a date as 12.03.2024, 03.2024, 2024 or 2024-03-12; start with “about” if it is approximate."))
    day, month, year = parts
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise DateParseError(_("%(text)s is not a real date.") % {"text": text.strip()}) from None
    if value.year < 1900:
        raise DateParseError(_("Enter a year after 1900."))
    if value > datetime.date.today() + datetime.timedelta(days=1):
        raise DateParseError(_("The date is in the future."))
    precision = DAY if day else MONTH if month else YEAR
    if approximate:
        # Approximate dates are kept to the month; "about 2024" is simply a year.
        return value.replace(day=1), APPROXIMATE if month else YEAR
    return value, precision


def approximate_date_input(value: datetime.date | None, precision: str) -> str:
    """The text a user would type for a stored date, for editing."""
    if value is None or precision == UNKNOWN:
        return ""
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision in (MONTH, APPROXIMATE):
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def format_approximate_date(value: datetime.date | None, precision: str) -> str:
    """Show a date only as precisely as it is known, in the active language."""
    if value is None or precision == UNKNOWN:
        return _("date unknown")
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if precision == APPROXIMATE:
        # An approximate date is known to about a month; it is shown no finer than that. Russian needs the
        # month in the genitive after "около" (format letter E): "около июня 2023 г.".
        month = formats.date_format(value, pgettext("month and year after 'about'", "F Y"))
        return _("about %(date)s") % {"date": month}
    return formats.date_format(value, "DATE_FORMAT")

