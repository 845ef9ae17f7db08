"""Existing plaintext rows are sealed in place, in batches, resumably, and indexed."""

import datetime
import uuid

import pytest
from django.db import connection

from keys.aead import PREFIX
from cases.models import Case, Person
from cases.protect import seal_plaintext_rows
from cases.blind_index import person_ids_matching, rebuild_index


def _insert_plaintext_people(n):
    ids = [uuid.uuid4() for _ in range(n)]
    rows = [
        (Person._meta.pk.get_db_prep_value(pk, connection), f"Plain Person{i} Tokhtarov", f"Тохтаров {i}", "", "1980-03-0" + str(1 + i % 9), "day", "KZ", "unknown", "u", "")
        for i, pk in enumerate(ids)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO cases_person (id, name_latin, name_cyrillic, aliases, birth_date, birth_date_precision, nationality,"
            " status_in_russia, sex, home_region) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    return ids


def _plaintext_left():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_person WHERE name_latin NOT LIKE %s OR birth_date NOT LIKE %s", [PREFIX + "%", PREFIX + "%"])
        return cursor.fetchone()[0]


class Interrupted(Exception):
    pass


def test_plaintext_rows_are_sealed_in_batches_and_the_run_resumes(caseworker):
    ids = _insert_plaintext_people(25)
    assert _plaintext_left() == 25

    def stop_after_first_batch(label, done):
        if label == "cases.Person":
            raise Interrupted

    with pytest.raises(Interrupted):
        seal_plaintext_rows(app_label="cases", batch_size=10, progress=stop_after_first_batch)
    assert _plaintext_left() == 15  # the first batch committed
    assert seal_plaintext_rows(app_label="cases", batch_size=10) == 15  # only the rest
    assert _plaintext_left() == 0
    assert seal_plaintext_rows(app_label="cases", batch_size=10) == 0
    person = Person.objects.get(pk=ids[3])
    assert person.name_latin == "Plain Person3 Tokhtarov" and person.birth_date == datetime.date(1980, 3, 4)
    rebuild_index(batch_size=7)
    assert set(person_ids_matching("Тохтаров")) == set(ids)
    assert person_ids_matching("Person3") == [ids[3]]
