"""The case list finds people by a whole name in either script or an exact date of birth, through the blind index."""

import datetime

import pytest
from django.db import connection

from cases import services
from cases.blind_index import BITS, NAME, person_ids_matching, sort_by_person_name
from cases.models import PersonIndexEntry
from cases.selectors import case_list_for
from tests.factories import make_case


def _refs(user, query):
    return {c.reference for c in case_list_for(user, query=query)}


@pytest.fixture
def people(caseworker):
    latin_only = make_case(actor=caseworker, name_latin="Rustam Nysanbaev", name_cyrillic="")
    cyrillic_only = make_case(actor=caseworker, name_latin="", name_cyrillic="Джамшед Хайдаров")
    other = make_case(actor=caseworker, name_latin="Aziz Tashkentov", name_cyrillic="")
    return latin_only, cyrillic_only, other


def test_cyrillic_spelling_finds_a_person_entered_in_latin(caseworker, people):
    latin_only, _, _ = people
    assert _refs(caseworker, "Нысанбаев") == {latin_only.reference}
    assert _refs(caseworker, "Рустам Нысанбаев") == {latin_only.reference}


def test_latin_spelling_finds_a_person_entered_in_cyrillic(caseworker, people):
    _, cyrillic_only, _ = people
    assert _refs(caseworker, "Khaidarov") == {cyrillic_only.reference}
    assert _refs(caseworker, "Jamshed Haydarov") == {cyrillic_only.reference}


def test_romanisation_variants_find_the_same_person(caseworker, people):
    latin_only, _, _ = people
    for spelling in ("Nysanbayev", "Nisanbaev", "NYSANBAEV"):
        assert _refs(caseworker, spelling) == {latin_only.reference}


def test_every_token_must_match_and_partial_tokens_do_not(caseworker, people):
    assert _refs(caseworker, "Rustam Tashkentov") == set()
    assert _refs(caseworker, "Nysan") == set()


def test_alias_is_searchable(caseworker):
    case = make_case(actor=caseworker, name_latin="Bakhtiyor Usmonov", name_cyrillic="")
    services.case_update(actor=caseworker, case=case, person={"aliases": "Bakha, Ботир"})
    assert _refs(caseworker, "Botir") == {case.reference}


def test_exact_date_of_birth(caseworker, people):
    latin_only, _, _ = people
    services.case_update(actor=caseworker, case=latin_only, person={"birth_date": datetime.date(1990, 1, 2)})
    assert _refs(caseworker, "1990-01-02") == {latin_only.reference}
    assert _refs(caseworker, "1990-01-03") == set()
    assert _refs(caseworker, "1990-02-30") == set()


def test_renaming_updates_the_index(caseworker, people):
    latin_only, _, _ = people
    services.case_update(actor=caseworker, case=latin_only, person={"name_latin": "Rustam Kasymov"})
    assert _refs(caseworker, "Nysanbaev") == set()
    assert _refs(caseworker, "Касымов") == {latin_only.reference}


def test_reference_search_still_works(caseworker, people):
    latin_only, _, _ = people
    assert latin_only.reference in _refs(caseworker, latin_only.reference)
    assert latin_only.reference in _refs(caseworker, latin_only.reference.lower())


def test_index_holds_no_name_and_values_are_truncated(caseworker, people):
    values = list(PersonIndexEntry.objects.filter(index=NAME).values_list("value", flat=True))
    assert values and all(0 <= v < 2 ** BITS[NAME] for v in values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_personindexentry")
        dump = repr(cursor.fetchall())
    assert "nisanbaev" not in dump.lower() and "rustam" not in dump.lower()


def test_truncation_coincidences_are_filtered_out(caseworker, people):
    """A candidate that shares only an index value (not the name) is dropped after its names are opened."""
    latin_only, _, other = people
    value = PersonIndexEntry.objects.filter(person_id=latin_only.person_id, index=NAME).values_list("value", flat=True)[0]
    PersonIndexEntry.objects.filter(person_id=other.person_id, index=NAME).delete()
    PersonIndexEntry.objects.create(person_id=other.person_id, index=NAME, value=value)
    matches = set(person_ids_matching("Nysanbaev")) | set(person_ids_matching("Rustam"))
    assert other.person_id not in matches
    assert latin_only.person_id in matches


def test_sort_by_name_after_decryption(caseworker, people):
    ordered = sort_by_person_name(case_list_for(caseworker))
    assert [c.person.name_latin or c.person.name_cyrillic for c in ordered] == [
        "Aziz Tashkentov", "Джамшед Хайдаров", "Rustam Nysanbaev",
    ]
