"""Sealing: values are encrypted at rest, open only in their own row and column, and cannot be queried."""

import datetime

import pytest
from django.db import connection, transaction

from keys.fields import PREFIX, ProtectedFieldError, ProtectedValueError, Sealed, unseal
from cases.models import Case, Contact, Person
from tests.factories import make_case


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [Person._meta.pk.get_db_prep_value(pk, connection)])
        return cursor.fetchone()[0]


def _set_raw(table: str, column: str, pk, value) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, Person._meta.pk.get_db_prep_value(pk, connection)])


def test_values_are_sealed_in_the_database_and_read_back(caseworker):
    case = make_case(actor=caseworker)
    person = Person.objects.get(pk=case.person_id)
    assert person.name_latin == "Rustam Nysanbaev"
    assert person.name_cyrillic == "Рустам Нысанбаев"
    assert person.birth_date == datetime.date(1994, 5, 17)
    for column in ("name_latin", "name_cyrillic", "birth_date", "aliases"):
        raw = _raw("cases_person", column, person.pk)
        assert raw.startswith(PREFIX)
        assert "Rustam" not in raw and "1994" not in raw
    contact = Contact.objects.get(case=case)
    assert contact.phone == "+77010000001"
    assert "+7701" not in _raw("cases_contact", "phone", contact.pk)


def test_two_seals_of_one_value_differ(caseworker):
    first = make_case(actor=caseworker)
    second = make_case(actor=caseworker)
    assert _raw("cases_person", "name_latin", first.person_id) != _raw("cases_person", "name_latin", second.person_id)


def test_ciphertext_moved_to_another_row_fails_loudly(caseworker):
    mine = make_case(actor=caseworker, name_latin="Rustam Nysanbaev")
    other = make_case(actor=caseworker, name_latin="Jamshed Karimov", name_cyrillic="Джамшед Каримов")
    _set_raw("cases_person", "name_latin", mine.person_id, _raw("cases_person", "name_latin", other.person_id))
    person = Person.objects.get(pk=mine.person_id)
    with pytest.raises(ProtectedValueError) as caught:
        person.name_latin
    message = str(caught.value)
    assert "cases.Person.name_latin" in message and str(mine.person_id) in message
    assert "Karimov" not in message
    # The rest of the row still opens.
    assert person.name_cyrillic == "Рустам Нысанбаев"


def test_ciphertext_moved_to_another_column_fails_loudly(caseworker):
    case = make_case(actor=caseworker)
    _set_raw("cases_person", "aliases", case.person_id, _raw("cases_person", "name_latin", case.person_id))
    person = Person.objects.get(pk=case.person_id)
    with pytest.raises(ProtectedValueError, match="cases.Person.aliases"):
        person.aliases


def test_ciphertext_moved_between_models_fails_loudly(caseworker):
    case = make_case(actor=caseworker)
    contact = Contact.objects.get(case=case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_case WHERE id = %s", [Case._meta.pk.get_db_prep_value(case.pk, connection)])
        notes = cursor.fetchone()[0]
    _set_raw("cases_contact", "address", contact.pk, notes)
    with pytest.raises(ProtectedValueError, match="cases.Contact.address"):
        Contact.objects.get(pk=contact.pk).address


def test_altered_ciphertext_fails_loudly(caseworker):
    case = make_case(actor=caseworker)
    raw = _raw("cases_person", "name_latin", case.person_id)
    _set_raw("cases_person", "name_latin", case.person_id, raw[:-3] + ("AAA" if raw[-3:] != "AAA" else "BBB"))
    with pytest.raises(ProtectedValueError, match="does not decrypt"):
        Person.objects.get(pk=case.person_id).name_latin


@pytest.mark.parametrize(
    ("lookup", "hint"),
    [
        ({"name_latin": "Rustam Nysanbaev"}, "person_name"),
        ({"name_cyrillic__icontains": "Рустам"}, "person_name"),
        ({"aliases__in": ["x"]}, "person_name"),
        ({"birth_date": datetime.date(1994, 5, 17)}, "person_birth_date"),
        ({"birth_date__year": 1994}, "person_birth_date"),
        ({"name_latin__lower": "x"}, "person_name"),
    ],
)
def test_filtering_by_plaintext_raises_and_names_the_index(caseworker, lookup, hint):
    make_case(actor=caseworker)
    with pytest.raises(ProtectedFieldError, match=hint):
        list(Person.objects.filter(**lookup))


def test_filtering_across_a_relation_raises(caseworker):
    with pytest.raises(ProtectedFieldError, match="cases.Person.name_latin"):
        Case.objects.filter(person__name_latin__icontains="Rustam").count()
    with pytest.raises(ProtectedFieldError, match="cases.Contact.phone"):
        Contact.objects.filter(phone="+77010000001").count()


def test_isnull_still_works(caseworker):
    make_case(actor=caseworker)
    assert Person.objects.filter(birth_date__isnull=False).count() == 1
    assert Person.objects.filter(birth_date__isnull=True).count() == 0


def test_queryset_update_cannot_write_plaintext(caseworker):
    case = make_case(actor=caseworker)
    with pytest.raises(ProtectedFieldError, match="save"), transaction.atomic():
        Person.objects.filter(pk=case.person_id).update(name_latin="Someone Else")
    assert Person.objects.get(pk=case.person_id).name_latin == "Rustam Nysanbaev"


def test_values_list_returns_sealed_values_that_unseal(caseworker):
    case = make_case(actor=caseworker)
    pk, sealed = Person.objects.values_list("pk", "birth_date").get(pk=case.person_id)
    assert isinstance(sealed, Sealed) and str(sealed) == "[encrypted]"
    assert unseal(Person, "birth_date", pk, sealed) == datetime.date(1994, 5, 17)


def test_deferred_field_loads_and_opens(caseworker):
    case = make_case(actor=caseworker)
    person = Person.objects.only("nationality").get(pk=case.person_id)
    assert person.name_cyrillic == "Рустам Нысанбаев"


def test_save_after_change_reseals(caseworker):
    case = make_case(actor=caseworker)
    person = Person.objects.get(pk=case.person_id)
    person.aliases = "Rustik"
    person.save(update_fields=["aliases"])
    assert Person.objects.get(pk=case.person_id).aliases == "Rustik"
    assert "Rustik" not in _raw("cases_person", "aliases", case.person_id)
