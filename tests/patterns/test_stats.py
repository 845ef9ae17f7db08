"""Dashboard counts against a known fixture, access scoping of every aggregate, small cells, research export."""

import csv
import io
import json

from audit.models import AuditEvent
from patterns import stats
from patterns.access import can_view_aggregates
from patterns.views import DASHBOARD_DIMENSIONS


def _counts(user, **kw):
    return {r.key: r.count for r in stats.counts(user, **kw).rows if r.count}


def test_counts_by_nationality_and_pathway(known, cast):
    assert _counts(cast.caseworker1, measure="cases", dimension="nationality") == {"KZ": 3, "KG": 2}
    assert _counts(cast.caseworker1, measure="people", dimension="nationality") == {"KZ": 3, "KG": 2}
    assert _counts(cast.caseworker1, measure="events", dimension="nationality") == {"KZ": 5, "KG": 4}
    assert _counts(cast.caseworker1, measure="cases", dimension="pathway") == {"prison": 3, "migrant_raid": 2}
    assert _counts(cast.caseworker1, measure="events", dimension="event_type") == {"contract": 5, "detention": 4}
    assert _counts(cast.caseworker1, measure="cases", dimension="event_type") == {"contract": 5, "detention": 4}


def test_filters_narrow_counts(known, cast):
    assert _counts(cast.caseworker1, measure="cases", dimension="nationality", filters={"event_type": "detention"}) == {"KZ": 2, "KG": 2}
    assert _counts(cast.caseworker1, measure="events", dimension="event_type", filters={"nationality": "KG"}) == {"contract": 2, "detention": 2}


def test_periods_respect_date_precision_and_report_left_out(known, cast):
    # "529 Kazakh and 327 Kyrgyz nationals signed contracts in the first half of 2025", in small.
    half = stats.counts(cast.caseworker1, measure="people", dimension="half_year", filters={"event_type": "contract"})
    assert {r.key: r.count for r in half.rows} == {"2025-H1": 3, "2025-H2": 2}
    by_nat = _counts(cast.caseworker1, measure="people", dimension="half_year", filters={"event_type": "contract", "nationality": "KZ"})
    assert by_nat == {"2025-H1": 3}

    month = stats.counts(cast.caseworker1, measure="events", dimension="month", filters={"event_type": "detention"})
    # two approximate, one year-only, one unknown: none is precise enough for a month
    assert month.rows == [] and month.left_out == 4
    quarter = stats.counts(cast.caseworker1, measure="events", dimension="quarter", filters={"event_type": "detention"})
    assert quarter.rows == [] and quarter.left_out == 4  # "about April" could be March
    half = stats.counts(cast.caseworker1, measure="events", dimension="half_year", filters={"event_type": "detention"})
    assert {r.key: r.count for r in half.rows} == {"2025-H1": 2} and half.left_out == 2
    year = stats.counts(cast.caseworker1, measure="events", dimension="year", filters={"event_type": "detention"})
    assert {r.key: r.count for r in year.rows} == {"2024": 1, "2025": 2} and year.left_out == 1


def test_period_of_rules():
    import datetime

    d = datetime.date
    assert stats.period_of(d(2025, 5, 1), "approximate", "quarter") == "2025-Q2"
    assert stats.period_of(d(2025, 4, 1), "approximate", "quarter") is None
    assert stats.period_of(d(2025, 4, 1), "approximate", "half_year") == "2025-H1"
    assert stats.period_of(d(2025, 6, 1), "approximate", "half_year") is None
    assert stats.period_of(d(2025, 6, 1), "approximate", "month") is None
    assert stats.period_of(d(2025, 6, 17), "day", "month") == "2025-06"
    assert stats.period_of(d(2025, 1, 1), "year", "half_year") is None
    assert stats.period_of(None, "unknown", "year") is None


def test_every_aggregate_is_scoped(known, cast, nobody):
    """cw2 counts only their one case; a role without cases counts nothing; legal/admin count everything."""
    for measure in stats.MEASURES:
        for dimension in stats.DIMENSIONS:
            _check_scope(cast, nobody, measure, dimension)


def _check_scope(cast, nobody, measure, dimension):
    total = lambda user: stats.counts(user, measure=measure, dimension=dimension)  # noqa: E731
    own = total(cast.caseworker2)
    everything = total(cast.legal1)
    assert total(nobody).total == 0 and total(nobody).left_out == 0
    assert total(cast.admin1).total == everything.total
    if dimension in stats.ILL_TREATMENT_DIMENSIONS or dimension in stats.CLOSED_ONLY or dimension == stats.TAG:
        # The fixture has no ill-treatment event, no closed case and no tag; tests/cases/test_ill_treatment.py,
        # tests/cases/test_closure.py and tests/casework/test_tags.py count them.
        return
    assert own.total + own.left_out == (1 if measure != "events" else 1)
    assert everything.total + everything.left_out > own.total + own.left_out
    assert everything.total + everything.left_out == total(cast.caseworker1).total + total(cast.caseworker1).left_out + own.total + own.left_out


def test_aggregate_role_sees_counts_but_no_case(known, cast, login):
    assert can_view_aggregates(cast.legal1) and can_view_aggregates(cast.admin1)
    assert not can_view_aggregates(cast.caseworker1)
    client = login(cast.legal1)
    page = client.get("/patterns/")
    assert page.status_code == 200
    assert page.context["summary"] == {"cases": 6, "people": 6, "events": 10}
    case = known["cw1"][0]
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    html = page.content.decode()
    assert "Nysanbaev" not in html and case.reference not in html


def test_dashboard_shows_each_chart_with_table_and_csv_and_left_out(known, cast, login):
    client = login(cast.caseworker1)
    page = client.get("/patterns/", {"measure": "events", "period": "month"})
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["summary"] == {"cases": 5, "people": 5, "events": 9}
    assert html.count("<svg") == len(DASHBOARD_DIMENSIONS) + 1
    assert html.count("<table") >= len(DASHBOARD_DIMENSIONS) + 1
    assert "stats.csv?dimension=nationality" in html
    assert "4 events were left out" in html
    assert client.get("/patterns/", {"measure": "bogus"}).status_code == 400


def test_outsider_dashboard_counts_nothing(known, nobody, login):
    page = login(nobody).get("/patterns/")
    assert page.status_code == 200 and page.context["summary"] == {"cases": 0, "people": 0, "events": 0}


def test_csv_export_suppresses_small_cells(known, cast, login, settings):
    settings.DALIL_SMALL_CELL_K = 3
    response = login(cast.legal1).get("/patterns/stats.csv", {"dimension": "nationality", "measure": "cases"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["KZ"] == "3"  # at k: shown
    assert rows["KG"] == "<3" and rows["UZ"] == "<3"  # below k: suppressed
    assert rows["TM"] == "0"
    assert AuditEvent.objects.filter(action="patterns.stats.exported", actor=cast.legal1).count() == 1
    settings.DALIL_SMALL_CELL_K = 5
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(login(cast.legal1).get("/patterns/stats.csv", {"dimension": "nationality"}).content.decode()))}
    assert rows["KZ"] == "<5"
    assert login(cast.legal1).get("/patterns/stats.csv", {"dimension": "nope"}).status_code == 400


def test_research_export_is_deidentified_suppressed_and_audited(known, cast, login, settings):
    settings.DALIL_SMALL_CELL_K = 2
    client = login(cast.legal1)
    response = client.get("/patterns/research-export", {"format": "json"})
    assert response.status_code == 200
    body = json.loads(response.content)
    text = response.content.decode()
    for name in ("Nysanbaev", "Omarov", "Khasanov", "Хасанов", "Rustam"):
        assert name not in text
    for case in known["cw1"] + known["cw2"]:
        assert case.reference not in text and str(case.pk) not in text
    assert all(len(e["case_id"]) == 16 and (len(e["month"]) in (0, 4, 7)) for e in body["events"])
    assert body["meta"]["k"] == 2
    assert body["meta"]["rows"] + body["meta"]["suppressed_rows"] == 10
    # the lone Uzbek case is a small cell: it cannot come out as is
    assert not any(e["nationality"] == "UZ" and len(e["month"]) == 7 for e in body["events"])
    ev = AuditEvent.objects.get(action="patterns.research.exported")
    assert ev.actor == cast.legal1 and ev.data["rows"] == body["meta"]["rows"]
    csv_response = client.get("/patterns/research-export", {"format": "csv"})
    header = csv_response.content.decode().splitlines()[0]
    assert header.startswith("case_id,person_id,nationality") and "name" not in header


def test_research_export_pseudonyms_are_stable_and_keyed(known, cast, settings):
    from patterns.services import pseudonym

    case = known["cw1"][0]
    before = pseudonym("case", case.pk)
    assert pseudonym("case", case.pk) == before and pseudonym("person", case.pk) != before
    settings.DALIL_RESEARCH_PSEUDONYM_KEY = "another-key"
    assert pseudonym("case", case.pk) != before  # keyed: another key, another pseudonym
    assert pseudonym("case", case.pk) == pseudonym("case", case.pk)
