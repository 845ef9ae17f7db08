"""Error pages are styled pages of Dalil in the reader's language, not Django's bare text."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from config import errors
from tests.cast import sign_in


def _ru(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})


@pytest.mark.django_db
@pytest.mark.parametrize("lang, words", [("en", ["Page not found", "Sign in", "site-header"]), ("ru", ["Страница не найдена", "Войти"])])
def test_404_is_styled_in_both_languages(client, lang, words):
    if lang == "ru":
        _ru(client)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert all(word in page for word in words)
    assert page.count("<h1") == 1 and "dalil.css" in page


def test_403_names_the_reason_and_keeps_the_header(client, cast):
    sign_in(client, cast.caseworker1)
    response = client.get("/manage/users/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page and "caseworker1" in page and "dalil.css" in page


def test_an_oversized_form_gets_the_413_page_not_a_bare_400(client, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    sign_in(client, cast.caseworker1)
    _ru(client)
    response = client.post(f"/cases/{cast.case.reference}/edit/", {"notes": "x" * 20_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Форма слишком велика" in page and "Ничего не сохранено" in page


def test_a_form_from_an_old_page_gets_the_expired_form_page(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, cast.caseworker1)
    response = client.post(f"/cases/{cast.case.reference}/edit/", {"notes": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("handler, status, words", [
    (errors.server_error, 500, "Something went wrong"),
    (lambda r: errors.bad_request(r, None), 400, "The request could not be read"),
])
def test_400_and_500_render_with_the_house_style(handler, status, words):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = handler(request)
    assert response.status_code == status
    assert words in response.content.decode() and "site-header" in response.content.decode()
    with translation.override("ru"):
        assert "Что-то пошло не так" in errors.server_error(request).content.decode()


def test_500_page_survives_a_broken_context():
    """Without a request (the database may be down) the page still renders."""
    response = errors.error_page(None, 500)
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
