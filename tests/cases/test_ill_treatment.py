"""Ill-treatment and torture after the Istanbul Protocol: coded methods and examination, sealed account,
the event type's fields declared once and enforced for every entry point, counted on the dashboard."""

import csv
import io

from django.db import connection
from django.urls import reverse

from cases import services
from cases.models import Event
from keys.fields import PREFIX
from patterns import stats

ILL_TREATMENT_POST = {
    "type": "ill_treatment",
    "date": "2024-03-12",
    "description": "Held in the basement of the station.",
    "ill_treatment_methods": ["beating", "electric"],
    "ill_treatment_duration": "About three hours, twice",
    "injuries_reported": "Broken rib, burns on both wrists",
    "medical_exam": "independent",
    "medical_exam_date": "2024-03-20",
    "documentation": "exists",
    "documentation_detail": "Discharge summary held by his sister",
}


def raw_column(event, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_event WHERE id = %s", [event.pk.hex if connection.vendor == "sqlite" else event.pk])
        return cursor.fetchone()[0]


def test_the_form_records_what_a_medical_legal_reader_needs(caseworker_client, case):
    response = caseworker_client.post(reverse("cases:event_add", kwargs={"reference": case.reference}), ILL_TREATMENT_POST)
    assert response.status_code == 302
    event = Event.objects.get(case=case)
    assert event.ill_treatment_methods == ["beating", "electric"]
    assert (event.medical_exam, str(event.medical_exam_date), event.documentation) == ("independent", "2024-03-20", "exists")
    assert event.injuries_reported == "Broken rib, burns on both wrists"
    # The account is testimony: sealed at rest. The codes stay plain, so that they can be counted.
    for column in ("injuries_reported", "ill_treatment_duration", "documentation_detail"):
        assert raw_column(event, column).startswith(PREFIX), column
    assert "beating" in raw_column(event, "ill_treatment_methods")

    page = caseworker_client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
    assert "Beating or other blunt trauma; Electric shock" in page
    assert "Examined by an independent doctor" in page
    assert "Broken rib, burns on both wrists" in page


def test_the_form_has_one_fieldset_per_type_with_fields(caseworker_client, case):
    page = caseworker_client.get(reverse("cases:event_add", kwargs={"reference": case.reference})).content.decode()
    for kind in Event.TYPE_FIELDS:
        assert f'data-event-types="{kind}"' in page
    assert page.count('name="ill_treatment_methods"') == 16  # one checkbox a method


def test_bad_ill_treatment_input_saves_nothing(caseworker_client, case):
    target = reverse("cases:event_add", kwargs={"reference": case.reference})
    unknown = caseworker_client.post(target, {**ILL_TREATMENT_POST, "ill_treatment_methods": ["waterboarding-x"]})
    assert unknown.status_code == 400
    no_exam = caseworker_client.post(target, {**ILL_TREATMENT_POST, "medical_exam": "none"})
    assert no_exam.status_code == 400
    assert "A date of examination needs an examination." in no_exam.content.decode()
    assert not Event.objects.filter(case=case).exists()


def test_fields_of_other_types_are_emptied_for_every_entry_point(caseworker, case):
    detention = services.event_add(
        actor=caseworker, case=case,
        data={"type": "detention", "date": None, "date_precision": "unknown", "signing_authority": "Wagner",
              "ill_treatment_methods": ["beating"], "injuries_reported": "x"},
    )
    assert (detention.signing_authority, detention.ill_treatment_methods, detention.injuries_reported) == ("", [], None)

    event = services.event_add(
        actor=caseworker, case=case,
        data={"type": "ill_treatment", "date": None, "date_precision": "unknown", "ill_treatment_methods": ["threats"]},
    )
    changed = services.event_update(actor=caseworker, event=event, data={"type": "detention"}, version=1)
    assert set(changed) == {"type", "ill_treatment_methods"}
    assert Event.objects.get(pk=event.pk).ill_treatment_methods == []


def test_dashboard_counts_methods_and_examinations_and_the_csv_suppresses_small_cells(
    caseworker, case, caseworker_client, settings
):
    for methods, exam in ((["beating", "electric"], "none"), (["beating"], "independent"), (["beating"], "")):
        services.event_add(actor=caseworker, case=case, data={
            "type": "ill_treatment", "date": None, "date_precision": "unknown",
            "ill_treatment_methods": methods, "medical_exam": exam})
    services.event_add(actor=caseworker, case=case, data={"type": "detention", "date": None, "date_precision": "unknown"})

    by_method = {r.key: r.count for r in stats.counts(caseworker, measure="events", dimension="ill_treatment_method").rows}
    assert (by_method["beating"], by_method["electric"], by_method["burns"]) == (3, 1, 0)
    by_exam = {r.key: r.count for r in stats.counts(caseworker, measure="events", dimension="medical_exam").rows}
    assert (by_exam["none"], by_exam["independent"], by_exam[""]) == (1, 1, 1)  # the detention is not counted
    assert stats.counts(caseworker, measure="cases", dimension="ill_treatment_method").rows[0].count == 1

    dashboard = caseworker_client.get("/patterns/", {"measure": "events"}).content.decode()
    assert "Ill-treatment method" in dashboard and "Electric shock" in dashboard
    settings.DALIL_SMALL_CELL_K = 2
    response = caseworker_client.get("/patterns/stats.csv", {"dimension": "ill_treatment_method", "measure": "events"})
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["beating"] == "3" and rows["electric"] == "<2"
