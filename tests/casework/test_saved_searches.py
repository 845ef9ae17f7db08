"""Saved searches: kept per user, shared by role or with everyone; opening one never shows a case its opener
cannot see, and is recorded like any list."""

import pytest
from django.db import connection

from accounts.roles import CASEWORKER
from audit.models import AuditEvent
from casework import searches
from casework.models import SavedSearch
from tests.cast import sign_in

pytestmark = pytest.mark.django_db


def _open(client, search):
    response = client.get(f"/searches/{search.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/?s=")
    return client.get(response["Location"]).content.decode()


def test_save_the_current_search_from_the_list_and_open_it(client, cast):
    sign_in(client, cast.caseworker1)
    assert cast.case.reference in client.get("/?status=intake").content.decode()
    response = client.post("/searches/save", {"name": "New intakes", "current": "status=intake&nationality=KZ"})
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.owner == cast.caseworker1 and search.filters == {"status": "intake", "nationality": "KZ"} and search.query == ""
    assert AuditEvent.objects.filter(action="casework.search.saved", target_id=str(search.pk)).exists()
    assert "New intakes" in client.get("/").content.decode()
    assert cast.case.reference in _open(client, search)
    opened = AuditEvent.objects.get(action="casework.search.opened", target_id=str(search.pk))
    listed = AuditEvent.objects.filter(action="case.list_viewed").latest("seq")
    assert opened.actor == cast.caseworker1 and listed.data == {"cases": [str(cast.case.pk)]}


def test_a_search_by_name_is_kept_sealed_and_only_for_its_owner(client, cast):
    sign_in(client, cast.caseworker1)
    response = client.post("/", {"q": "Nysanbaev"})
    current = response["Location"].split("?", 1)[1]
    assert client.post("/searches/save", {"name": "Sister's brother", "current": current}).status_code == 302
    search = SavedSearch.objects.get()
    assert search.query == "Nysanbaev"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, query, filters::text FROM casework_savedsearch")
        stored = str(cursor.fetchall())
        assert "Nysanbaev" not in stored and "brother" not in stored
    assert cast.case.reference in _open(client, search)
    response = client.post("/searches/save", {"name": "Shared Rustam", "current": current, "shared_with": "everyone"})
    assert response.status_code == 400 and "cannot keep a search text" in response.content.decode()
    assert SavedSearch.objects.count() == 1
    for other in (cast.caseworker2, cast.outsider, cast.legal1, cast.admin1):
        sign_in(client, other)
        assert client.get(f"/searches/{search.pk}/").status_code == 404
        assert client.post(f"/searches/{search.pk}/delete").status_code == 404
        assert "brother" not in client.get("/").content.decode()
    assert SavedSearch.objects.count() == 1
    assert not AuditEvent.objects.filter(action="casework.search.opened", actor=cast.outsider).exists()


def test_a_shared_search_shows_each_opener_only_their_own_cases(client, cast):
    search = searches.saved_search_create(actor=cast.caseworker1, name="Kazakh cases", query="", filters={"nationality": "KZ"},
                                          shared_with=CASEWORKER)
    cast.other_case.person.nationality = "KZ"
    cast.other_case.person.save(update_fields=["nationality"])
    sign_in(client, cast.outsider)  # a caseworker too, with a case of their own and no access to caseworker1's
    page = _open(client, search)
    assert cast.other_case.reference in page
    assert cast.case.reference not in page and cast.case.person.name_latin not in page
    listed = AuditEvent.objects.filter(action="case.list_viewed", actor=cast.outsider).latest("seq")
    assert listed.data == {"cases": [str(cast.other_case.pk)]}
    assert client.post(f"/searches/{search.pk}/delete").status_code == 404  # shared is not theirs
    sign_in(client, cast.legal1)  # not a caseworker: the search is not shared with them
    assert client.get(f"/searches/{search.pk}/").status_code == 404
    sign_in(client, cast.caseworker1)
    assert client.post(f"/searches/{search.pk}/delete").status_code == 302
    assert not SavedSearch.objects.exists() and AuditEvent.objects.filter(action="casework.search.deleted").exists()


def test_sharing_only_with_ones_own_roles_or_everyone(cast):
    with pytest.raises(searches.SavedSearchError):
        searches.saved_search_create(actor=cast.legal1, name="x", query="", filters={}, shared_with=CASEWORKER)
    with pytest.raises(searches.SavedSearchError):
        searches.saved_search_create(actor=cast.caseworker1, name="  ", query="", filters={})
    kept = searches.saved_search_create(actor=cast.legal1, name="All", query="", filters={"status": "active", "evil": "x"}, shared_with="everyone")
    assert kept.filters == {"status": "active"}
    assert SavedSearch.objects.count() == 1


def test_the_name_field_warns_that_a_shared_name_is_seen_by_all_and_every_name_is_sealed(client, cast):
    sign_in(client, cast.caseworker1)
    page = client.get("/?status=intake").content.decode()
    warning = 'id="search-name-warning"'
    assert warning in page and 'aria-describedby="search-name-warning"' in page
    assert "everyone it is shared with sees its name" in page and "family" in page
    client.cookies["django_language"] = "ru"
    assert "видят все, с кем" in client.get("/?status=intake").content.decode()
    client.cookies["django_language"] = "en"
    bad = client.post("/searches/save", {"name": "", "current": "status=intake"})  # the page without the list says it too
    assert bad.status_code == 400 and "everyone it is shared with sees its name" in bad.content.decode()
    assert client.post("/searches/save", {"name": "Karimov family", "current": "status=intake"}).status_code == 302
    searches.saved_search_create(actor=cast.caseworker1, name="Nysanbaev brothers", query="", filters={}, shared_with="everyone")
    assert sorted(s.name for s in SavedSearch.objects.all()) == ["Karimov family", "Nysanbaev brothers"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name::text FROM casework_savedsearch")
        stored = str(cursor.fetchall())
    assert "Karimov" not in stored and "Nysanbaev" not in stored and "family" not in stored
