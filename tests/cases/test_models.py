import datetime

from cases.models import Case, Consent, Event, Location, Perpetrator, Person
from tests.factories import make_case


def test_person_display_name_uses_both_scripts():
    assert Person(name_latin="Dilshod Karimov", name_cyrillic="Дилшод Каримов").display_name == "Dilshod Karimov (Дилшод Каримов)"
    assert Person(name_cyrillic="Дилшод Каримов").display_name == "Дилшод Каримов"
    assert Person().display_name == "(name not recorded)"


def test_case_risk_flags_name_each_flag():
    case = Case(risk_family_charges=True, risk_urgent_medical=True)
    assert case.risk_flags == ["family faces mercenary charges or pressure at home", "urgent medical need"]
    assert Case().risk_flags == []


def test_event_date_display_keeps_precision():
    assert Event(type="detention", date=datetime.date(2024, 3, 1), date_precision="month").date_display == "March 2024"
    assert Event(type="detention", date=datetime.date(2024, 3, 1), date_precision="approximate").date_display == "about March 2024"
    assert Event(type="detention", date=datetime.date(2023, 1, 1), date_precision="year").date_display == "2023"
    assert Event(type="detention", date=None, date_precision="unknown").date_display == "date unknown"
    assert "Detention" in str(Event(type="detention", date=None, date_precision="unknown"))


def test_location_and_perpetrator_labels():
    assert str(Location(name="SIZO-1", city="Moscow", region="Moscow", country="Russia")) == "SIZO-1, Moscow, Moscow, Russia"
    assert str(Perpetrator(kind="official", name="Ivanov", rank="Major")) == "Major Ivanov"
    assert str(Perpetrator(kind="institution", name="Police department No. 5")) == "Police department No. 5"


def test_consent_scopes_list_only_what_was_agreed():
    consent = Consent(documentation=True, statistics=True)
    assert consent.scopes == ["documentation", "statistics"]


def test_case_reference_is_human_readable_and_unique(caseworker):
    first = make_case(actor=caseworker)
    second = make_case(actor=caseworker, name_latin="Bekzod Tursunov", name_cyrillic="Бекзод Турсунов")
    year = datetime.date.today().year
    assert first.reference == f"DAL-{year}-0001"
    assert second.reference == f"DAL-{year}-0002"
    assert str(first) == first.reference


def test_a_choice_label_is_shown_in_the_language_of_each_request_and_an_unknown_value_as_it_is():
    from django.utils import translation

    from cases.models import Case

    case = Case(status="active", pathway="unknown")
    shown = {}
    for language in ("en", "ru", "en", "ru"):  # the labels are kept per language once translated
        with translation.override(language):
            shown.setdefault(language, set()).add(case.get_status_display())
    assert shown == {"en": {"Active"}, "ru": {"В работе"}}
    assert Case(status="no-such-status").get_status_display() == "no-such-status"
    assert Case(status=None).get_status_display() is None
