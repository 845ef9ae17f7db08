"""Coalition counts: unique people across members without a name; what an attacker with a dictionary gets."""

import base64
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.names import name_tokens
from patterns.coalition.clk import Encoder
from patterns.coalition.exchange import THRESHOLD, count, encode_source
from patterns.estimation import simulate

SECRET = b"the coalition agreed on this secret in person"


def _members(rng, size=2000, probabilities=(0.4, 0.35, 0.3)):
    men = simulate.population(size, rng)
    lists = simulate.capture(men, list(probabilities), rng)
    encoder = Encoder(SECRET)
    members = [encode_source(s, encoder) for s in simulate.sources(men, lists, rng)]
    return men, lists, members


def test_unique_count_within_3_percent_of_the_truth():
    _men, lists, members = _members(random.Random(5))
    truth = len(set().union(*map(set, lists)))
    result = count(members)
    assert abs(result["unique"] - truth) / truth < 0.03, (result["unique"], truth)
    for (a, b) in [(0, 1), (0, 2), (1, 2)]:
        true_overlap = len(set(lists[a]) & set(lists[b]))
        shown = result["overlaps"][f"{members[a].label} & {members[b].label}"]
        assert abs(shown - true_overlap) / true_overlap < 0.08


def test_estimate_with_each_member_as_a_list():
    _men, _lists, members = _members(random.Random(6), size=3000)
    result = count(members, estimate=True)
    assert abs(result["estimate"]["estimate"] - 3000) / 3000 < 0.10
    assert "histories" not in result["estimate"]


def test_exports_made_with_different_secrets_are_refused():
    rng = random.Random(1)
    men = simulate.population(50, rng)
    lists = simulate.capture(men, [0.5, 0.5], rng)
    sources = simulate.sources(men, lists, rng)
    a = encode_source(sources[0], Encoder(SECRET))
    b = encode_source(sources[1], Encoder(b"another secret, not the agreed one"))
    with pytest.raises(ValueError, match="different secrets"):
        count([a, b])


def _top_names(n=1000):
    """The attacker's dictionary: every given name and surname the simulated region uses, and their Latin forms."""
    words = list(dict.fromkeys(simulate.GIVEN + simulate.SURNAMES))
    words += [simulate._latin(w) for w in words]
    return words[:n]


def test_a_dictionary_of_common_names_recovers_no_name_token():
    """The attacker holds an export and a dictionary of 1,000 common names, but not the secret.

    Attack 1: encode every dictionary name (alone and in pairs with the commonest surnames) under guessed secrets
    and compare with every record: no pair comes near the linking threshold. Attack 2 (frequency): rank the
    export's bit columns by how often they are set and take the most frequent as the commonest bigram's bits;
    a balanced filter sets exactly half its bits in every record, so the columns say nothing and the attacker's
    guess of who carries the commonest name token is no better than chance.
    """
    _men, _lists, members = _members(random.Random(9), size=1500, probabilities=(0.6,))
    export = members[0]
    dictionary = _top_names()
    for guess in (b"", b"secret", b"coalition", b"0" * 16, b"dalil-coalition-v1"):
        try:
            encoder = Encoder(guess.ljust(16, b"\0"))
        except ValueError:
            continue
        probes = [encoder.encode([name], None) for name in dictionary[:300]]
        best = max(2 * (p & r).count() / (p.count() + r.count()) for p in probes for r in export.clks[:200])
        assert best < THRESHOLD - 0.05, best
    # Frequency attack.
    weights = {clk.count() for clk in export.clks}
    assert weights == {export.clks[0].count()}  # every encoding has the same weight
    columns = [sum(clk[i] for clk in export.clks) for i in range(len(export.clks[0]))]
    hot = sorted(range(len(columns)), key=lambda i: -columns[i])[:20]
    guess = [all(clk[i] for i in hot[:5]) for clk in export.clks]
    tokens = [set(name_tokens(e.record.names[0])) for e in simulate.sources(*_single(random.Random(9)))[0].entries]
    commonest = max(set().union(*tokens), key=lambda t: sum(t in ts for ts in tokens))
    truth = [commonest in ts for ts in tokens]
    flagged = [t for g, t in zip(guess, truth) if g]
    base_rate = sum(truth) / len(truth)
    if flagged:
        assert sum(flagged) / len(flagged) < base_rate + 0.15


def _single(rng):
    men = simulate.population(1500, rng)
    lists = simulate.capture(men, [0.6], rng)
    return men, lists, rng


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret"
    path.write_bytes(SECRET)
    return path


def test_export_holds_no_name_and_only_its_own_member_can_look_back(db, tmp_path, secret_file, settings):
    from tests.factories import make_case
    from tests.cast import make_user
    from accounts.roles import CASEWORKER

    settings.DALIL_SMALL_CELL_K = 2
    cw = make_user("cw-coalition", CASEWORKER, password=None)
    cases = [make_case(actor=cw, name_latin=n, name_cyrillic="", nationality="UZ") for n in ("Rustam Karimov", "Sardor Umarov", "Jamshed Nazarov")]
    out = tmp_path / "ours.json"
    call_command("coalition_export", str(out), "--secret-file", str(secret_file))
    text = out.read_text()
    data = json.loads(text)
    assert len(data["records"]) == 3
    for word in ("rustam", "karimov", "sardor", "umarov", "jamshed", "nazarov"):
        assert word not in text.lower()
    for case in cases:
        assert case.reference not in text and str(case.pk) not in text and str(case.person_id) not in text
    assert set(data["records"][0]) == {"clk", "nationality", "first_event_year", "ref"}
    # Our own refs lead back to our cases; a record of another member leads nowhere.
    from io import StringIO

    shown = StringIO()
    call_command("coalition_lookup", str(out), stdout=shown)
    assert sorted(line.split()[1] for line in shown.getvalue().splitlines()) == sorted(c.reference for c in cases)
    data["records"][0]["ref"] = "0" * 24
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    shown = StringIO()
    call_command("coalition_lookup", str(other), stdout=shown)
    assert len(shown.getvalue().splitlines()) == 2
    with pytest.raises(CommandError, match="exists"):
        call_command("coalition_export", str(out), "--secret-file", str(secret_file))


def test_export_refuses_a_group_too_small_to_hide_in(db, tmp_path, secret_file, settings):
    from accounts.roles import CASEWORKER
    from tests.cast import make_user
    from tests.factories import make_case

    settings.DALIL_SMALL_CELL_K = 5
    cw = make_user("cw-small", CASEWORKER, password=None)
    make_case(actor=cw, name_latin="Rustam Karimov", name_cyrillic="", nationality="UZ")
    with pytest.raises(CommandError, match="at least 5"):
        call_command("coalition_export", str(tmp_path / "x.json"), "--secret-file", str(secret_file))
    assert not (tmp_path / "x.json").exists()


def test_count_command_reads_exports_and_refuses_garbage(tmp_path, capsys):
    rng = random.Random(3)
    _men, _lists, members = _members(rng, size=300, probabilities=(0.5, 0.5))
    paths = []
    for m in members:
        path = tmp_path / f"{m.label}.json"
        path.write_text(json.dumps({"format": "dalil-coalition-export/1", "bits": 2048, "secret_check": m.secret_check,
                                    "records": [{"clk": base64.b64encode(c.tobytes()).decode(), "nationality": None,
                                                 "first_event_year": None, "ref": "x"} for c in m.clks]}))
        paths.append(str(path))
    call_command("coalition_count", *paths, "--estimate")
    result = json.loads(capsys.readouterr().out)
    assert result["members"] == {m.label: len(m.clks) for m in members}
    assert result["unique"] <= sum(result["members"].values())
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="not a coalition export"):
        call_command("coalition_count", paths[0], str(bad))




def test_every_export_matches_the_published_schema(db, tmp_path, secret_file, settings):
    import jsonschema

    from accounts.roles import CASEWORKER
    from tests.cast import make_user
    from tests.factories import make_case

    settings.DALIL_SMALL_CELL_K = 1
    cw = make_user("cw-schema", CASEWORKER, password=None)
    make_case(actor=cw, name_latin="Rustam Karimov", name_cyrillic="", nationality="UZ")
    out = tmp_path / "x.json"
    call_command("coalition_export", str(out), "--secret-file", str(secret_file))
    schema = json.loads((__import__("pathlib").Path(__file__).resolve().parents[2] / "docs" / "coalition-export.schema.json").read_text())
    jsonschema.validate(json.loads(out.read_text()), schema)
