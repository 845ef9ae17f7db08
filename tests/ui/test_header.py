"""The header: a visible account link and a language switch that needs no JavaScript and stays on one line."""

import pytest

from tests.cast import sign_in


@pytest.mark.django_db
def test_two_languages_switch_with_one_button(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<button type="submit" name="language" value="ru" lang="ru"' in page and "<select" not in page.split("</header>")[0]


@pytest.mark.django_db
def test_more_languages_fold_into_a_menu_without_javascript(client, settings):
    settings.LANGUAGES = [("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("uz", "Uzbek")]
    header = client.get("/accounts/login/").content.decode().split("</header>")[0]
    assert '<details class="language-switch language-menu">' in header
    assert all(f'value="{code}"' in header for code in ("ru", "kk", "uz")) and 'value="en"' not in header


def test_the_account_link_is_visible_and_named(client, cast, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sign_in(client, cast.caseworker1)
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'class="account-link" href="/accounts/"' in header and "Your account: </span>caseworker1</a>" in header
