"""What a refused edit shows: each field where the stored record and the typed form now differ.

The stored side is what someone else saved after this form was read; the typed side is kept in
the form, so the person merges by editing the form and saving again (it then carries the new
version).
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from cases.dates import format_approximate_date

# A date and its precision are one thing to a reader: shown together, compared together.
DATE_PRECISION = {"birth_date": "birth_date_precision", "date": "date_precision"}


def _display(field, value) -> str:
    if value is None or value == "" or value == [] or value == set():
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.many_to_many or isinstance(value, (set, list, tuple)):
        labels = dict(field.flatchoices) if field.choices and not field.many_to_many else {}
        return ", ".join(sorted(str(labels.get(item, item)) for item in value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _stored(current, name: str, field):
    value = getattr(current, name)
    return set(value.all()) if field.many_to_many else value


def conflict_rows(current, typed: dict) -> list[dict]:
    """[{label, theirs, yours}] for each field of `typed` whose value differs from the record `current`."""
    rows = []
    skipped = set(DATE_PRECISION.values())
    for name, yours in typed.items():
        if name in skipped:
            continue
        field = current._meta.get_field(name)
        theirs = _stored(current, name, field)
        if field.many_to_many:
            yours = set(yours)
        if name in DATE_PRECISION:
            precision = DATE_PRECISION[name]
            if (theirs, getattr(current, precision)) == (yours, typed.get(precision)):
                continue
            shown = (format_approximate_date(theirs, getattr(current, precision)),
                     format_approximate_date(yours, typed.get(precision)))
        elif theirs == yours:
            continue
        else:
            shown = (_display(field, theirs), _display(field, yours))
        rows.append({"label": str(field.verbose_name).capitalize(), "theirs": shown[0], "yours": shown[1]})
    return rows
