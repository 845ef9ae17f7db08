"""Dates with a precision: 'March 2024' is a month, not the first of March."""

import datetime
import re

from django.utils import formats
from django.utils.translation import gettext as _

DAY, MONTH, YEAR, APPROXIMATE, UNKNOWN = "day", "month", "year", "approximate", "unknown"

_PATTERN = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


class DateParseError(ValueError):
    pass


def parse_approximate_date(text: str, *, approximate: bool = False) -> tuple[datetime.date | None, str]:
    """'2024' -> year, '2024-03' -> month, '2024-03-12' -> day; empty -> unknown."""
    if not text or not text.strip():
        return None, UNKNOWN
    match = _PATTERN.match(text)
    if not match:
        raise DateParseError(_("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."))
    year, month, day = match.groups()
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
        # An approximate date is known to about a month; it is shown no finer than that.
        return _("about %(date)s") % {"date": formats.date_format(value, "YEAR_MONTH_FORMAT")}
    return formats.date_format(value, "DATE_FORMAT")
