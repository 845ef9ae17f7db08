"""The matcher's decisions, one labelled pair per phenomenon of issue 20, and the rule each `why` names."""

import datetime

import pytest

from cases.name_compare import THRESHOLD, birth, compare
from cases.names import normalise, tokens

# (a, born a, b, born b, same?, a phrase the why must hold)
SAME = [
    # romanisation standards and scripts
    ("Нысанбаев Рустам", "17.05.1994", "NYSANBAYEV Rustam", "1994-05-17", "same date of birth"),
    ("Хасанов Джамшед", None, "Xasanov Jamshed", None, "given name: same"),
    ("Ўткир Қодиров", None, "O'tkir Qodirov", None, "surname: same"),
    ("Бауыржан Жұмабаев", None, "Baýyrjan Jumabaev", None, "given name: same"),
    ("Әбдіқадыр Нұрланов", None, "Äbdiqadyr Nūrlanov", None, "given name: same"),
    ("Чолпонбай Юсупов", None, "Tscholponbai Jussupow", None, "German-style spelling"),
    # native and Russified forms
    ("Умаров Фаррух", None, "Farrukh Umarzoda", None, "-ov/-ev form ~ Tajik -zoda form"),
    ("Умаров Фаррух", None, "Farrukh Umar", None, "-ov/-ev form ~ bare root form"),
    ("Асылбеков Ермек", None, "Ermek Asylbek uulu", None, "-ov/-ev form ~ Kyrgyz uulu form"),
    ("Асылбекуулу Ермек", None, "Ermek Asylbek uulu", None, "given name: same"),
    ("Нұрланова Айгерим", None, "Aigerim Nurlankyzy", None, "-ova/-eva form ~ -kyzy/-qizi form"),
    ("Батыр Юлдашев", None, "Botir Yuldoshev", None, "Russified vowels"),
    ("Едгор Рахимов", None, "Yodgor Rahimov", None, "given name"),
    ("Абдулла Каримов", None, "Abdulloh Karimov", None, "Russified vowels"),
    ("Нысанбаев-Ибрагимов Рустам", None, "Rustam Nysanbaev", None, "surname: same"),
    # patronymics
    ("Каримов Жасур Каримович", None, "Jasur Karimov Karim o‘g‘li", None, "patronymic -ovich ~ Uzbek o‘g‘li"),
    ("Асылбеков Ермек Талгатович", None, "Ermek Talgat uulu", None, "-ovich form ~ Kyrgyz uulu form"),
    ("Бердымухамедов Гурбангулы", None, "Gurbanguly Berdimuhamedow", None, "given name: same"),  # -guly is no -uly
    # list noise
    ("Нысанбаев Рустам", "17.05.1994", "Нысанбаев Р.", "17.05.1994", "initial"),
    ("Нысанбаев Рустам", None, "НЫСAНБAЕВ РУСТАМ", None, "surname: same"),  # Latin A inside Cyrillic
    ("Нысанбаев Рустам", None, "Н1сан6аев Рустам", None, "surname: same"),  # digits for letters
    ("Nysanbaev Rustam", None, "Nysnbaev Rustam", None, "one letter off"),
    ("Токтогулов Азамат", None, "Toktogluov Azamat", None, "one letter off"),  # swapped letters
    # dates as lists print them
    ("Хасанов Джамшед", "02.01.1990", "Dzhamshed Khasanov", "01.02.1990", "day and month swapped"),
    ("Хасанов Джамшед", "02.01.1990", "Dzhamshed Khasanov", "1990", "year only"),
    ("Хасанов Джамшед", "02.01.1990", "Dzhamshed Khasanov", "01.01.1990", "01.01 placeholder"),
    ("Хасанов Джамшед", "04.04.1993", "Dzhamshed Khasanov", "14.04.1993", "one digit apart"),
    ("Хасанов Джамшед", "04.04.1993", "Dzhamshed Khasanov", None, "no birth date"),
]

DIFFERENT = [
    ("Asylbek Talgat uulu", None, "Talgat Asylbek uulu", None, "given name never stands for the other's father"),
    ("Каримов Рустам", None, "Rustamov Karim", None, "given name never stands for the other's surname"),
    ("Karimov Rustam Talgatovich", "01.02.1990", "Karimov Ruslan Talgatovich", "05.06.1992", "brothers"),
    ("Karimov Hasan Talgatovich", "01.02.1990", "Karimov Husan Talgatovich", "01.02.1990", "twins"),
    ("Rustam Nysanbaev", "17.05.1994", "Rustam Nysanbaev", "03.02.1971", "namesakes born years apart"),
    ("Rustam Nysanbaev Talgatovich", None, "Rustam Nysanbaev Karimovich", None, "different fathers"),
    ("Rustam Nysanbaev", None, "Rustam Nysanbaeva", None, "different sex"),
    ("Aigerim Talgat kyzy", None, "Aigerim Talgat uulu", None, "kyzy is a daughter, uulu a son"),
    ("Karimov Rustam", None, "Kasimov Rustam", None, "two known names a letter apart are not a typo"),
    ("Нысанбаев Р.", None, "Rustam Nysanbaev", None, "an initial without a date is too weak"),
    ("Nysnbaev Rustm", "1994", "Rustam Nysanbaev", "1994", "a weak date never lifts a weak name"),
    ("Rustam", "17.05.1994", "Rustam Nysanbaev", "17.05.1994", "one word is not a name"),
]


@pytest.mark.parametrize("a,born_a,b,born_b,why", SAME, ids=lambda x: str(x)[:24])
def test_same_person(a, born_a, b, born_b, why):
    m = compare(a, b, born_a=born_a, born_b=born_b)
    assert m.same and m.score >= THRESHOLD, m
    assert why in m.why, m.why
    assert compare(b, a, born_a=born_b, born_b=born_a).same  # symmetric


@pytest.mark.parametrize("a,born_a,b,born_b,label", DIFFERENT, ids=lambda x: str(x)[:24])
def test_not_the_same_person(a, born_a, b, born_b, label):
    m = compare(a, b, born_a=born_a, born_b=born_b)
    assert not m.same and m.score < THRESHOLD, (label, m)
    assert not compare(b, a, born_a=born_b, born_b=born_a).same


def test_why_names_rules_never_names():
    m = compare("Умаров Фаррух Каримович", "Farrukh Umarzoda Karim o‘g‘li", born_a="1990-01-02", born_b="02.01.1990")
    for word in ("umar", "farru", "karim"):
        assert word not in m.why.lower()


def test_birth_dates_as_lists_print_them():
    D = datetime.date
    assert birth("17.05.1994") == birth("1994-05-17") == birth(D(1994, 5, 17)) == birth("17/05/1994")
    assert birth("05.17.1994") == birth("17.05.1994")  # month > 12: the order was American
    assert birth("1994").year == 1994 and not birth("1994").full and not birth("01.01.1994").full
    assert birth("") is None and birth(None) is None and birth("unknown") is None
    assert birth("31.02.1994").year == 1994 and not birth("31.02.1994").full
    assert birth("17.05.94") == birth("17.05.1994") and birth("01.02.03").year == 2003
    assert birth("1994 г.р.") == birth("1994 г.") == birth("1994") == birth("1994 года рождения")


def test_which_word_is_which():
    forms = normalise("Ermek Asylbek uulu")
    assert [p.role for p in forms.parts] == ["name", "father"] and forms.family_from_father
    forms = normalise("Нысанбаев Рустам Ибрагимович")
    assert [p.role for p in forms.parts] == ["family", "name", "father"] and forms.sex == "m"


def test_search_tokens_of_every_form_meet():
    assert tokens("Umarzoda") == tokens("Умаров") == tokens("Umarova") == tokens("Umar")
    assert tokens("Асылбекуулу") == tokens("Asylbek uulu") == tokens("Asylbekov")
    assert tokens("Karimovich") == tokens("Karim o‘g‘li") == tokens("Karimuly")


def test_link_leaves_a_very_common_name_without_a_telling_date_unlinked():
    from patterns.matching import Record, link

    people = [Record(f"p{i}", ["Каримов Рустам"], birth_date=f"0{i + 1}.02.199{i}") for i in range(4)]
    people.append(Record("u", ["Ermek Asylbek uulu"], birth_date="1994"))
    entries = [
        Record("no-date", ["Karimov Rustam"]),
        Record("dated", ["Karimov Rustam"], birth_date="1992-02-03"),
        Record("unique-no-date", ["Асылбеков Ермек"]),
    ]
    linked = {m.a: m.b for m in link(entries, people)}
    assert linked == {"dated": "p2", "unique-no-date": "u"}
