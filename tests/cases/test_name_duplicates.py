"""Duplicate warnings use the one name matcher: native and Russified forms of one man are flagged, brothers are not."""

import datetime

from cases import services
from patterns.selectors import duplicates_for
from tests.factories import make_case


def _case(actor, latin="", cyrillic="", born=None, precision="day"):
    case = make_case(actor=actor, name_latin=latin, name_cyrillic=cyrillic)
    if born:
        services.case_update(actor=actor, case=case, person={"birth_date": born, "birth_date_precision": precision})
    return case


def test_kyrgyz_uulu_and_russified_surname_are_flagged_with_the_rule(caseworker):
    a = _case(caseworker, latin="Ermek Asylbek uulu", born=datetime.date(1994, 5, 17))
    b = _case(caseworker, cyrillic="Асылбеков Ермек Асылбекович", born=datetime.date(1994, 5, 17))
    pairs = duplicates_for(caseworker)
    assert [{p["a"].pk, p["b"].pk} for p in pairs] == [{a.pk, b.pk}]
    assert "Kyrgyz uulu" in pairs[0]["why"] and "same date of birth" in pairs[0]["why"]
    assert "ermek" not in pairs[0]["why"].lower() and "asyl" not in pairs[0]["why"].lower()


def test_tajik_zoda_with_a_year_alone(caseworker):
    _case(caseworker, latin="Farrukh Umarzoda", born=datetime.date(1990, 1, 1), precision="year")
    _case(caseworker, cyrillic="Умаров Фаррух Каримович", born=datetime.date(1990, 3, 4))
    pairs = duplicates_for(caseworker)
    assert len(pairs) == 1 and "Tajik -zoda" in pairs[0]["why"] and "same birth year" in pairs[0]["why"]


def test_brothers_and_twins_are_not_duplicates(caseworker):
    _case(caseworker, cyrillic="Каримов Рустам Талгатович", born=datetime.date(1990, 1, 2))
    _case(caseworker, cyrillic="Каримов Руслан Талгатович", born=datetime.date(1992, 6, 5))
    _case(caseworker, latin="Karimov Hasan Talgatovich", born=datetime.date(1995, 3, 3))
    _case(caseworker, latin="Karimov Husan Talgatovich", born=datetime.date(1995, 3, 3))
    _case(caseworker, latin="Asylbek Talgat uulu")
    _case(caseworker, latin="Talgat Asylbek uulu")
    assert duplicates_for(caseworker) == []
