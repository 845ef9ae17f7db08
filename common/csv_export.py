"""The one CSV writer of the project: every export (audit log, custody, statistics, research) writes through it.

A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage
return, or their full-width forms) gets a leading single quote, so that a User-Agent, a file name or a
place name typed by anyone cannot run as a formula (CSV injection, OWASP). Only text is changed: a
number written by the code (a count, a size) stays a number. tests/security/test_csv_formulas.py holds
the rule, and also checks that no other module builds its own csv.writer.
"""

from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """The cell as a spreadsheet may safely read it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        # Returned, so that a streaming response can yield what each row wrote.
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> _SafeWriter:
    """csv.writer with every text cell neutralised."""
    return _SafeWriter(stream, **options)


class DictWriter(csv.DictWriter):
    """csv.DictWriter with every text cell (and header) neutralised."""

    def writeheader(self):
        return self.writer.writerow([neutralise(name) for name in self.fieldnames])

    def writerow(self, rowdict):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)
