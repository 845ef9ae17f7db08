"""Dates: typed as people write them, shown in one style per language, Russian months declined."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from cases.dates import DateParseError, format_approximate_date, parse_approximate_date

D = datetime.date


@pytest.mark.parametrize("text, expected", [
    ("12.03.2024", (D(2024, 3, 12), "day")),
    ("2024-03-12", (D(2024, 3, 12), "day")),
    ("12/03/2024", (D(2024, 3, 12), "day")),
    ("03.2024", (D(2024, 3, 1), "month")),
    ("3.2024", (D(2024, 3, 1), "month")),
    ("2024-03", (D(2024, 3, 1), "month")),
    ("2024", (D(2024, 1, 1), "year")),
    ("March 2024", (D(2024, 3, 1), "month")),
    ("12 марта 2024 г.", (D(2024, 3, 12), "day")),
    ("about 06.2023", (D(2023, 6, 1), "approximate")),
    ("около июня 2023", (D(2023, 6, 1), "approximate")),
    ("Около 2023", (D(2023, 1, 1), "year")),
    ("~ 12.06.2023", (D(2023, 6, 1), "approximate")),
    ("", (None, "unknown")),
])
def test_dates_are_read_as_people_type_them(text, expected):
    assert parse_approximate_date(text) == expected


@pytest.mark.parametrize("text", ["12.13.2024", "31.02.2024", "next year", "2024-3-", "1850", "01.01.2999"])
def test_what_is_no_date_gets_a_clear_message(text):
    with pytest.raises(DateParseError):
        parse_approximate_date(text)


@pytest.mark.parametrize("lang, expected", [
    ("en", ["1 Dec 2026", "about June 2023", "June 2023", "2023"]),
    ("ru", ["1 декабря 2026 г.", "около июня 2023 г.", "Июнь 2023 г.", "2023"]),
])
def test_one_date_style_per_language(lang, expected):
    with translation.override(lang):
        shown = [
            format_approximate_date(D(2026, 12, 1), "day"),
            format_approximate_date(D(2023, 6, 1), "approximate"),
            format_approximate_date(D(2023, 6, 1), "month"),
            format_approximate_date(D(2023, 1, 1), "year"),
        ]
        template = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d }}')
        plain = template.render(Context({"d": D(2026, 12, 1)}))
    assert shown == expected
    assert plain == "|".join([expected[0]] * 3)


@pytest.mark.parametrize("lang, expected", [("en", "1 Dec 2026, 13:45 UTC"), ("ru", "1 декабря 2026 г., 13:45 UTC")])
def test_times_show_the_time_zone(lang, expected):
    moment = datetime.datetime(2026, 12, 1, 13, 45, 45, tzinfo=datetime.timezone.utc)
    with translation.override(lang), timezone.override("UTC"):
        assert Template('{{ t|date:"DATETIME_FORMAT" }}').render(Context({"t": moment})) == expected


def test_date_fields_take_day_first_dates_and_show_no_us_picker(db):
    from referrals.forms import SentForm

    form = SentForm(data={"sent_on": "01.12.2025", "channel": "email"})
    form.is_valid()
    assert "sent_on" not in form.errors and form.cleaned_data["sent_on"] == D(2025, 12, 1)
    html = str(form["sent_on"])
    assert 'type="text"' in html and 'type="date"' not in html
