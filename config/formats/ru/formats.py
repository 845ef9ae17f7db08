"""Russian dates in one style: "1 декабря 2026 г.", "1 декабря 2026 г., 14:05 UTC" (E: the month in the genitive)."""

from config.formats.en.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS, FIRST_DAY_OF_WEEK, NUMBER_GROUPING  # noqa: F401 - typed the same way

DATE_FORMAT = "j E Y г."
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j E Y г., H:i T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i T"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
