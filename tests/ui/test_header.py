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


def _nav(client, user):
    sign_in(client, user)
    return client.get("/").content.decode().split('<nav class="site-nav"')[1].split("</nav>")[0]


def test_the_navigation_shows_each_user_only_their_links(client, cast, settings):
    from django.urls import reverse

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin_links = [f'href="{reverse(name)}"' for name in ("audit:log", "retention:review", "manage:users")]
    nav = _nav(client, cast.admin1)
    assert all(link in nav for link in admin_links)
    client.logout()
    nav = _nav(client, cast.caseworker1)
    assert f'href="{reverse("cases:create")}"' in nav and not any(link in nav for link in admin_links)


def test_no_template_tag_reads_the_database_or_checks_a_permission():
    """What a page shows is decided in its view or the navigation's context processor (casework/context.py), where
    the queries are seen: a template tag or filter only formats what it is given."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    forbidden = re.compile(r"\.objects\b|_default_manager|has_perm|selectors|\.models\b|is_admin|roles_of|from django\.db")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("*/templatetags/*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line)
    ]
    assert not offenders, offenders
