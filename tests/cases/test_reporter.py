"""The reporter section of the intake form, and reporters' names found through the blind index."""

from django.urls import reverse

from cases import services
from cases.blind_index import person_ids_matching
from cases.models import Case, Contact, PersonIndexEntry
from tests.cases.test_views import create_data


def test_the_optional_reporter_section_marks_nothing_required(caseworker_client):
    import re

    page = caseworker_client.get(reverse("cases:create")).content.decode()
    assert "Optional. Leave it all empty" in page
    for name in ("contact-name", "contact-relationship"):
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert "required" not in tag, tag
    nationality = re.search(r'<select[^>]*name="nationality"[^>]*>', page).group(0)
    assert "required" in nationality  # the person's required fields still say so


def test_a_relationship_without_a_name_is_not_dropped_silently(caseworker_client):
    data = create_data(**{"contact-name": "", "contact-messenger": "", "contact-relationship": "mother"})
    response = caseworker_client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the contact&#x27;s name, or leave this whole section empty." in page
    assert '<option value="mother" selected>' in page  # what was chosen is kept
    assert 'value="Jasur Rakhimov"' in page
    assert not Case.objects.exists()


def test_a_name_without_a_relationship_is_asked_for(caseworker_client):
    data = create_data(**{"contact-relationship": ""})
    response = caseworker_client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert "Say who they are to the person" in response.content.decode()
    assert not Case.objects.exists()


def test_an_empty_reporter_section_opens_the_case_without_a_contact(caseworker_client):
    data = create_data(**{"contact-name": "", "contact-relationship": "", "contact-messenger": "", "contact-consents_to_contact": None})
    assert caseworker_client.post(reverse("cases:create"), data).status_code == 302
    assert Case.objects.count() == 1 and not Contact.objects.exists()


def test_reporters_names_find_the_case_through_the_blind_index(caseworker, caseworker_client, case):
    # make_case's reporter is Aigerim Nysanbaeva, the person's sister.
    assert person_ids_matching("Aigerim", reporters=True) == [case.person_id]
    assert person_ids_matching("Aigerim") == []  # the person's names only, unless reporters are asked for
    page = caseworker_client.post(reverse("cases:list"), {"q": "Aigerim Nysanbaeva", "search_in": "reporter"}, follow=True).content.decode()
    assert case.reference in page
    page = caseworker_client.post(reverse("cases:list"), {"q": "Aigerim Nysanbaeva"}, follow=True).content.decode()
    assert case.reference not in page
    # The index holds keyed hashes only, never the name.
    assert PersonIndexEntry.objects.filter(person=case.person, index="reporter_name").count() == 2

    contact = Contact.objects.get(case=case)
    services.contact_update(actor=caseworker, contact=contact, data={"name": "Saule Nysanbaeva"})
    assert person_ids_matching("Aigerim", reporters=True) == []
    assert person_ids_matching("Saule", reporters=True) == [case.person_id]
    services.contact_update(actor=caseworker, contact=contact, data={"is_reporter": False})
    assert person_ids_matching("Saule", reporters=True) == []

    services.contact_add(actor=caseworker, case=case, data={"name": "Timur Bekov", "relationship": "friend", "is_reporter": True})
    assert person_ids_matching("Timur Bekov", reporters=True) == [case.person_id]
    # Tokens of two different reporters do not add up to one match.
    services.contact_add(actor=caseworker, case=case, data={"name": "Dana Omarova", "relationship": "friend", "is_reporter": True})
    assert person_ids_matching("Timur Omarova", reporters=True) == []
