"""The language switch on every page, the remembered choice, and dates in the active language."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from cases.dates import format_approximate_date


def test_login_page_has_the_switch_and_renders_in_russian_after_switching(client, db):
    page = client.get("/accounts/login/")
    assert 'action="/i18n/setlang/"' in page.content.decode() and 'name="language"' in page.content.decode()
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="ru">' in page
    assert "Войти" in page and "Язык" in page
    # And back.
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


def test_the_choice_is_remembered_for_a_year(client, db):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert int(cookie["max-age"]) >= 364 * 24 * 3600
    assert cookie["httponly"]


def test_a_signed_in_page_renders_in_russian(client, db, settings):
    from tests.cast import make_user

    settings.DALIL_2FA_REQUIRED_FOR = []
    admin = make_user("admin_i18n", "admin", password=None)
    client.force_login(admin)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/api/tokens/"})
    page = client.get("/api/tokens/").content.decode()
    assert "Токены API" in page and "Выдать токен" in page and "Выйти" in page


def test_roles_show_by_their_label_in_the_readers_language(client, db, settings):
    """The account page names a role by its declared label (accounts/roles.py), not by its group name."""
    from tests.cast import make_user

    settings.DALIL_2FA_REQUIRED_FOR = []
    client.force_login(make_user("legal_i18n", "legal", "admin", password=None))
    client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/"})
    page = client.get("/accounts/").content.decode()
    assert '<span class="badge">Юрист</span>' in page and '<span class="badge">Администратор</span>' in page


@pytest.mark.parametrize(
    "language, expected",
    [("en", ["March 2024", "about March 2024", "12 Mar 2024"]), ("ru", ["Март 2024 г.", "около марта 2024 г.", "12 марта 2024 г."])],
)
def test_dates_follow_the_active_language(language, expected):
    with translation.override(language):
        shown = [
            format_approximate_date(datetime.date(2024, 3, 1), "month"),
            format_approximate_date(datetime.date(2024, 3, 1), "approximate"),
            format_approximate_date(datetime.date(2024, 3, 12), "day"),
        ]
    assert shown == expected


def test_numbers_follow_the_active_language():
    from django.utils import formats

    with translation.override("ru"):
        assert formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1\xa0234,5"
    with translation.override("en"):
        assert formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1,234.5"
