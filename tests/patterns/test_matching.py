"""The matcher on a labelled set of variants, and the match_lists command."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patterns.matching import DEFAULT_MIN_SCORE, Record, match_records, match_within

D = datetime.date

# (person in Dalil, spelling on a published list, same person?)
LABELLED = [
    (("Рустам Нысанбаев", D(1994, 5, 17)), ("NYSANBAYEV Rustam", D(1994, 5, 17)), True),
    (("Rustam Nysanbaev", D(1994, 5, 17)), ("Нисанбаев Рустам Ибрагимович", None), True),
    (("Джамшед Хасанов", D(1990, 1, 2)), ("Jamshed Xasanov", D(1990, 1, 2)), True),
    (("Джамшед Хасанов", D(1990, 1, 2)), ("Dzhamshed Khassanov", D(1990, 2, 1)), True),  # day/month swapped
    (("Ўткир Қодиров", D(1988, 3, 9)), ("O'tkir Qodirov", D(1988, 3, 9)), True),
    (("Ғайрат Юлдашев", D(1985, 7, 7)), ("Gayrat Yuldashev", D(1985, 7, 7)), True),
    (("Ерлан Сейтқазы", D(1999, 9, 9)), ("Yerlan Seitkazy", None), True),
    (("Мирлан Асанбеков", D(2001, 1, 1)), ("Mirlan Assanbekov", D(2001, 1, 1)), True),
    (("Азамат Токтогулов", D(1993, 4, 4)), ("Azamat Toktogulov", D(1993, 4, 14)), True),  # one digit typo
    (("Рустам Нысанбаев", D(1994, 5, 17)), ("Rustam Nysanbaev", D(1971, 2, 3)), False),  # a namesake
    (("Рустам Нысанбаев", D(1994, 5, 17)), ("Ruslan Omarov", D(1994, 5, 17)), False),
    (("Нурбек Курбанов", D(1980, 1, 1)), ("Nurjan Tursunov", None), False),
    (("Айгерим Нысанбаева", D(1996, 1, 1)), ("Rustam Nysanbaev", None), False),
    (("Алишер Каримов", D(1990, 5, 5)), ("Alisher Karimov", D(1990, 11, 20)), False),
]


@pytest.mark.parametrize("person,entry,same", LABELLED, ids=lambda x: str(x)[:30])
def test_labelled_variants(person, entry, same):
    people = [Record("p", [person[0]], birth_date=person[1])]
    found = match_records([Record("e", [entry[0]], birth_date=entry[1])], people)
    assert bool(found) is same, found
    if same:
        assert 0 <= found[0].score <= 100 and found[0].why


def test_best_first_and_why_names_no_name():
    people = [Record(1, ["Rustam Nysanbaev"], birth_date=D(1994, 5, 17), region="Almaty"), Record(2, ["Rustam Nysanbaeva"])]
    found = match_records([Record("x", ["Нысанбаев Рустам"], birth_date=D(1994, 5, 17), region="Almaty")], people, min_score=0)
    assert [m.b for m in found][0] == 1
    assert found == sorted(found, key=lambda m: -m.score)
    assert "same date of birth" in found[0].why and "same region" in found[0].why
    assert "nisanbaev" not in found[0].why.lower() and "rustam" not in found[0].why.lower()


def test_blocking_does_not_compare_all_pairs():
    people = [Record(i, [f"Name{chr(97 + i % 26)}{i} Surname{i}"]) for i in range(300)]
    stats = {}
    match_records([Record("x", ["Rustam Nysanbaev"])], people, stats=stats)
    assert stats["pairs"] < 10


def test_a_namesake_with_another_birth_date_is_shown_below_the_cut_off_and_never_over_it():
    # The matcher skips a pair whose birth dates conflict before comparing names, but only at a cut-off that
    # "not the same person" cannot reach: a lower --min-score still lists the namesake, as not the same.
    namesake = [Record("p", ["Rustam Nysanbaev"], birth_date=D(1971, 2, 3))]
    entry = [Record("e", ["Нысанбаев Рустам"], birth_date=D(1994, 5, 17))]
    assert match_records(entry, namesake) == []
    low = match_records(entry, namesake, min_score=0)
    assert len(low) == 1 and not low[0].same and low[0].score < DEFAULT_MIN_SCORE and "different birth dates" in low[0].why


def test_duplicates_within_one_set():
    found = match_within([Record("a", ["Rustam Nysanbaev"], birth_date=D(1994, 5, 17)), Record("b", ["Рустам Нысанбаев"], birth_date=D(1994, 5, 17)), Record("c", ["Ivan Petrov"])])
    assert [(m.a, m.b) for m in found] == [("a", "b")]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_match_lists_prints_json_lines_best_first(tmp_path, capsys):
    a = _write(tmp_path, "a.csv", "id,name,birth_date,region\n1,Нысанбаев Рустам,17.05.1994,Almaty\n2,Хасанов Джамшед,,\n3,Petrov Ivan,1980-01-01,\n")
    b = _write(tmp_path, "b.csv", "name,id,birth_date,region\nRustam Nysanbayev,x,1994-05-17,Almaty\nJamshed Khasanov,y,,Sughd\nSidorov Ivan,z,1980-01-01,\n")
    call_command("match_lists", a, b)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["a"], x["b"]) for x in lines] == [("1", "x"), ("2", "y")]
    assert set(lines[0]) == {"a", "b", "score", "why"}
    assert lines[0]["score"] >= lines[1]["score"] >= DEFAULT_MIN_SCORE
    call_command("match_lists", a, b, "--min-score", "0")
    everything = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert ("3", "z") in {(x["a"], x["b"]) for x in everything}
    assert [x["score"] for x in everything] == sorted((x["score"] for x in everything), reverse=True)


def test_match_lists_bad_input_fails_with_one_line(tmp_path):
    a = _write(tmp_path, "a.csv", "id,name\n1,Rustam\n")
    with pytest.raises(CommandError, match="no such file"):
        call_command("match_lists", a, str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="missing column"):
        call_command("match_lists", a, _write(tmp_path, "b.csv", "ident,fullname\n1,x\n"))
    with pytest.raises(CommandError, match="line 2"):
        call_command("match_lists", a, _write(tmp_path, "c.csv", "id,name,birth_date\n1,x,31.02.1990\n"))


def test_match_lists_needs_no_database(tmp_path):
    """Run as a subprocess pointed at an unreachable database: it must not try to connect."""
    import os
    import subprocess
    import sys

    a = _write(tmp_path, "a.csv", "id,name\n1,Rustam Nysanbaev\n")
    b = _write(tmp_path, "b.csv", "id,name\n9,Рустам Нысанбаев\n")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DALIL_SECRET_KEY": "x" * 50}
    run = subprocess.run([sys.executable, "manage.py", "match_lists", a, b], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[0])["b"] == "9"


def test_match_lists_reads_a_year_alone(tmp_path, capsys):
    a = _write(tmp_path, "a.csv", "id,name,birth_date\n1,Асылбеков Ермек,1994\n")
    b = _write(tmp_path, "b.csv", "id,name,birth_date\nx,Ermek Asylbek uulu,17.05.1994\n")
    call_command("match_lists", a, b)
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["b"] == "x" and "Kyrgyz uulu" in line["why"] and "same birth year" in line["why"]
