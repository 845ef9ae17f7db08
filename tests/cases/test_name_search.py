"""Search finds a person by any form of the name the matcher knows (issue 20), through the blind index."""

import datetime

import pytest
from django.core.management import call_command

from cases import selectors, services
from cases.blind_index import NAME, person_name_tokens
from cases.models import Person, PersonIndexEntry
from tests.factories import make_case


def refs(user, query):
    return {c.reference for c in selectors.case_list_for(user, query=query)}


@pytest.fixture
def named(caseworker):
    def make(latin="", cyrillic="", **person):
        case = make_case(actor=caseworker, name_latin=latin, name_cyrillic=cyrillic)
        if person:
            services.case_update(actor=caseworker, case=case, person=person)
        return case
    return make


# (stored name, Latin or Cyrillic; what a caseworker types)
FORMS = [
    ("Ermek Asylbek uulu", "Асылбеков Ермек"),  # Kyrgyz uulu vs Russified surname
    ("Ermek Asylbek uulu", "Асылбекуулу"),  # joined
    ("Асылбеков Ермек", "Ermek Asylbek uulu"),
    ("Умаров Фаррух", "Farrukh Umarzoda"),  # Tajik -zoda
    ("Umarzoda Farrukh", "Umarov"),
    ("Rahmon Emomali", "Рахмонов"),  # bare root
    ("Jasur Karimov Karim o‘g‘li", "Каримович"),  # patronymic forms meet
    ("Нурланова Айгерим", "Aigerim Nurlankyzy"),
    ("Ботир Юлдашев", "Batyr Yuldoshev"),  # Russified vowels
    ("Ёдгор Рахимов", "Edgor"),  # ё as е, ICAO e
    ("Oʻtkir Qodirov", "Уткир Кадыров"),
    ("Schuchrat Jussupow", "Шухрат Юсупов"),  # German-style
    ("Нысанбаев Рустам", "НЫСAНБAЕВ"),  # Latin A inside Cyrillic
    ("Нысанбаев Рустам", "Нысанбаев Р."),  # the initial is not required to be indexed
]


@pytest.mark.parametrize("stored,typed", FORMS)
def test_typing_any_form_finds_the_person(caseworker, named, stored, typed):
    script = {"cyrillic": stored} if any("а" <= c.lower() <= "я" or c in "ёЁ" for c in stored) else {"latin": stored}
    case = named(**script)
    named(latin="Dilshod Karimov")
    assert case.reference in refs(caseworker, typed)


def test_which_word_is_which_in_search_too_is_left_to_the_matcher(caseworker, named):
    """Search is by words (either order), so Talgat Asylbek uulu is found by "Asylbek Talgat"; the matcher decides."""
    a = named(latin="Asylbek Talgat uulu")
    assert a.reference in refs(caseworker, "Talgat Asylbek")
    assert refs(caseworker, "Asylbek Nurlan") == set()


def test_different_names_are_not_found(caseworker, named):
    named(latin="Rustam Nysanbaev")
    assert refs(caseworker, "Ruslan Nysanbaev") == set()
    assert refs(caseworker, "Nysan") == set()


def test_a_date_as_lists_print_it(caseworker, named):
    case = named(latin="Rustam Nysanbaev", birth_date=datetime.date(1994, 5, 17))
    assert refs(caseworker, "17.05.1994") == {case.reference} == refs(caseworker, "1994-05-17")


def test_reindex_command_rebuilds_old_entries(caseworker, named):
    """Rows indexed by the old normaliser (strict keys) are found again after `rebuild_blind_index`."""
    case = named(latin="Farrukh Umarzoda")
    person = Person.objects.get(pk=case.person_id)
    PersonIndexEntry.objects.filter(person=person, index=NAME).delete()  # as if indexed before this matcher
    assert refs(caseworker, "Умаров") == set()
    call_command("rebuild_blind_index")
    assert refs(caseworker, "Умаров") == {case.reference}
    assert person_name_tokens(person) == {"umar", "faru"}
