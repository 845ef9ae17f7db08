"""estimate_population from the command line, and the Patterns page end to end (form, Celery task, result, exports)."""

import csv
import io
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.roles import CASEWORKER, LEGAL
from audit.models import AuditEvent
from patterns.coalition.clk import Encoder
from patterns.coalition.exchange import encode_source
from patterns.estimation import simulate
from patterns.estimation.models import EstimateJob
from tests.cast import make_user, sign_in
from tests.factories import make_case


def _write_lists(tmp_path, size=1200, probabilities=(0.35, 0.4, 0.3), seed=4):
    rng = random.Random(seed)
    men = simulate.population(size, rng)
    lists = simulate.capture(men, list(probabilities), rng)
    paths = []
    for source in simulate.sources(men, lists, rng):
        path = tmp_path / f"{source.label}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "name", "birth_date", "nationality", "region", "date"])
            for e in source.entries:
                r = e.record
                w.writerow([r.id, r.names[0], r.birth_date.strftime("%d.%m.%Y") if r.birth_date else "", e.strata["nationality"], "", e.strata["period"] + "-06-01"])
        paths.append(str(path))
    return paths


def test_command_prints_one_json_object_per_stratum(tmp_path, capsys):
    paths = _write_lists(tmp_path)
    call_command("estimate_population", *paths)
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert set(result) >= {"stratum", "lists", "observed", "estimate", "ci95", "model", "overlaps", "warnings"}
    assert result["lists"] == 3 and abs(result["estimate"] - 1200) / 1200 < 0.15
    assert result["ci95"][0] <= result["estimate"] <= result["ci95"][1]
    call_command("estimate_population", *paths, "--by", "nationality")
    strata = [json.loads(line)["stratum"] for line in capsys.readouterr().out.splitlines()]
    assert sorted(strata) == sorted(simulate.NATIONALITIES)
    call_command("estimate_population", *paths, "--by", "period")
    assert {json.loads(line)["stratum"] for line in capsys.readouterr().out.splitlines()} == {"2022", "2023", "2024"}


def test_command_refuses_bad_input_with_a_clear_message(tmp_path):
    paths = _write_lists(tmp_path, size=100)
    with pytest.raises(CommandError, match="two to six"):
        call_command("estimate_population", paths[0])
    bad = tmp_path / "bad.csv"
    bad.write_text("who,when\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("estimate_population", paths[0], str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("estimate_population", paths[0], str(tmp_path / "none.csv"))


def test_command_with_cases_counts_only_what_the_user_may_see(db, tmp_path, capsys):
    paths = _write_lists(tmp_path, size=100)
    mine = make_user("cw-est", CASEWORKER, password=None)
    other = make_user("cw-other", CASEWORKER, password=None)
    make_case(actor=mine, name_latin="Rustam Karimov", name_cyrillic="", nationality="UZ")
    make_case(actor=other, name_latin="Sardor Umarov", name_cyrillic="", nationality="UZ")
    call_command("estimate_population", paths[0], "--cases", "--user", "cw-est")
    result = json.loads(capsys.readouterr().out)
    assert result["lists"] == 2
    cases_only = sum(n for h, n in result["histories"].items() if h == "01")
    assert cases_only == 1  # cw-est's one case, not the other caseworker's
    assert AuditEvent.objects.filter(action="patterns.population.estimated", actor=mine).exists()


def _exports(size=400, seed=8):
    rng = random.Random(seed)
    men = simulate.population(size, rng)
    lists = simulate.capture(men, [0.5, 0.45], rng)
    encoder = Encoder(b"a coalition secret of some length")
    out = []
    import base64

    for member in [encode_source(s, encoder) for s in simulate.sources(men, lists, rng)]:
        out.append(io.BytesIO(json.dumps({
            "format": "dalil-coalition-export/1", "bits": 2048, "secret_check": member.secret_check,
            "records": [{"clk": base64.b64encode(c.tobytes()).decode(), "nationality": None, "first_event_year": None, "ref": "r"} for c in member.clks],
        }).encode()))
        out[-1].name = f"{member.label}.json"
    return out


@pytest.mark.django_db(transaction=True)
def test_page_runs_an_estimate_with_progress_and_exports_it(client):
    from tests.cast import ensure_roles

    ensure_roles()  # an earlier transactional test's flush may have emptied the role groups
    legal = make_user("legal-est", LEGAL, password=None)
    sign_in(client, legal)
    page = client.get("/patterns/estimates/")
    assert page.status_code == 200 and "<h1>" in page.content.decode()
    refused = client.post("/patterns/estimates/", {"include_cases": "on"})
    assert refused.status_code == 400 and "two to six" in refused.content.decode()
    no_secret = client.post("/patterns/estimates/", {"exports": _exports()})
    assert no_secret.status_code == 400 and EstimateJob.objects.count() == 0
    response = client.post("/patterns/estimates/", {"exports": _exports(), "secret": "a coalition secret of some length"})
    assert response.status_code == 302
    job = EstimateJob.objects.get()
    assert job.status == "done" and job.coalition_secret == ""  # eager in tests; the secret is dropped after the run
    page = client.get(response["Location"]).content.decode()
    assert "95% interval" in page and "What the estimate assumes" in page
    csv_text = client.get(response["Location"] + "estimate.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("stratum,")
    pdf = client.get(response["Location"] + "estimate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_someone_elses_estimate_is_a_404(client):
    legal = make_user("legal-a", LEGAL, password=None)
    other = make_user("legal-b", LEGAL, password=None)
    job = EstimateJob.objects.create(created_by=other, status="done", result=[])
    sign_in(client, legal)
    for suffix in ("", "estimate.csv", "estimate.pdf"):
        assert client.get(f"/patterns/estimates/{job.pk}/{suffix}").status_code == 404
