import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cases import selectors, services
from tests.factories import make_case


@pytest.fixture
def three_cases(caseworker):
    rustam = make_case(actor=caseworker, status="active", pathway="prison")
    dilshod = make_case(
        actor=caseworker, name_latin="Dilshod Karimov", name_cyrillic="Дилшод Каримов", nationality="UZ", pathway="migrant_raid"
    )
    farrukh = make_case(actor=caseworker, name_latin="Farrukh Saidov", name_cyrillic="Фаррух Саидов", nationality="TJ")
    services.event_add(actor=caseworker, case=dilshod, data={"type": "detention", "date": datetime.date(2024, 1, 1), "date_precision": "year"})
    return rustam, dilshod, farrukh


def refs(qs):
    return sorted(case.reference for case in qs)


def test_search_by_reference_and_name_in_either_script(caseworker, three_cases):
    rustam, dilshod, farrukh = three_cases
    assert refs(selectors.case_list_for(caseworker, query=dilshod.reference)) == [dilshod.reference]
    assert refs(selectors.case_list_for(caseworker, query="Karimov")) == [dilshod.reference]
    assert refs(selectors.case_list_for(caseworker, query="Саидов")) == [farrukh.reference]
    assert refs(selectors.case_list_for(caseworker, query="Nobody Atall")) == []


def test_filters(caseworker, three_cases):
    rustam, dilshod, farrukh = three_cases
    assert refs(selectors.case_list_for(caseworker, nationality="TJ")) == [farrukh.reference]
    assert refs(selectors.case_list_for(caseworker, status="active")) == [rustam.reference]
    assert refs(selectors.case_list_for(caseworker, pathway="migrant_raid")) == [dilshod.reference]
    assert refs(selectors.case_list_for(caseworker, event_type="detention")) == [dilshod.reference]
    assert refs(selectors.case_list_for(caseworker, event_type="death")) == []
    assert len(selectors.case_list_for(caseworker)) == 3


def test_anonymous_sees_nothing(three_cases):
    assert not selectors.cases_for(AnonymousUser()).exists()
    with pytest.raises(Http404):
        selectors.case_get_for(AnonymousUser(), reference=three_cases[0].reference)


def test_missing_reference_is_404(caseworker, three_cases):
    with pytest.raises(Http404):
        selectors.case_get_for(caseworker, reference="DAL-1999-0001")


def test_children_of_another_case_are_404(caseworker, three_cases):
    rustam, dilshod, _ = three_cases
    event = selectors.events_for(caseworker, case=dilshod).get()
    with pytest.raises(Http404):
        selectors.event_get_for(caseworker, case=rustam, event_id=event.pk)
    contact = selectors.contacts_for(caseworker, case=dilshod).get()
    with pytest.raises(Http404):
        selectors.contact_get_for(caseworker, case=rustam, contact_id=contact.pk)
    source = services.source_add(actor=caseworker, case=dilshod, data={"kind": "media", "title": "Report"})
    with pytest.raises(Http404):
        selectors.source_get_for(caseworker, case=rustam, source_id=source.pk)
    assert selectors.source_get_for(caseworker, case=dilshod, source_id=source.pk) == source


def test_consent_in_force_is_the_newest(caseworker, three_cases):
    case = three_cases[0]
    assert selectors.consent_in_force(caseworker, case=case) is None
    for day in (1, 2):
        newest = services.consent_record(
            actor=caseworker, case=case, data={"given_by": "person", "given_on": datetime.date(2024, 1, day), "method": "verbal"}
        )
    assert selectors.consent_in_force(caseworker, case=case) == newest
