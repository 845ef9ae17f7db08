"""The case list's filter panel, rendered once per language, chosen values and choices (cases/list_filters.py):
what a user typed is never kept, and what they chose, the tags that exist and their language always show."""

import re

import pytest

from casework import tags
from cases import list_filters
from tests.cast import role_user

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    return re.search(r'<form method="post" action="/"[^>]*>(.*?)</form>', html, re.S).group(1)


def test_a_searched_name_is_shown_back_but_never_kept(caseworker_client, case):
    page = caseworker_client.post("/", {"q": "Каримов"}, follow=True).content.decode()
    assert 'value="Каримов"' in _panel(page)
    assert not any("Каримов" in html for html in list_filters._PANEL_HTML.values())
    assert 'value="Каримов"' not in _panel(caseworker_client.get("/").content.decode())


def test_the_chosen_values_the_language_and_a_new_tag_show_on_the_next_page(caseworker_client, case, caseworker):
    plain = _panel(caseworker_client.get("/").content.decode())
    assert 'value="active" selected' not in plain
    assert re.search(r'<option value="active" selected>', _panel(caseworker_client.get("/", {"status": "active"}).content.decode()))
    assert 'value="active" selected' not in _panel(caseworker_client.get("/").content.decode())

    tag = tags.tag_create(actor=role_user("admin", username="tag-admin"), name="Returned home")
    assert f'<option value="{tag.pk}">Returned home</option>' in _panel(caseworker_client.get("/").content.decode())

    russian = _panel(caseworker_client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "Статус" in russian and "Status" not in russian
    assert "Status" in _panel(caseworker_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())


def test_a_refused_filter_is_shown_with_its_error_and_not_kept(caseworker_client, case):
    response = caseworker_client.get("/", {"status": "nonsense"})
    assert response.status_code == 400 and "nonsense" in _panel(response.content.decode())
    assert not any("nonsense" in html for html in list_filters._PANEL_HTML.values())
