"""The estimators on simulated populations of known size (issue 23's measures), without and with names."""

import random
from collections import Counter

import numpy as np
import pytest

from patterns.estimation import simulate
from patterns.estimation.estimators import chapman, estimate
from patterns.estimation.linkage import link
from patterns.estimation.population import estimate_population


def _counts(rng, size, probabilities, dependent=None):
    k = len(probabilities)
    caught = rng.random((size, k)) < probabilities
    if dependent:
        a, b, p_if, p_else = dependent
        caught[:, b] = np.where(caught[:, a], rng.random(size) < p_if, rng.random(size) < p_else)
    return dict(Counter(tuple(int(x) for x in row) for row in caught if row.any()))


def test_chapman_matches_its_formula_and_interval_contains_the_estimate():
    result = chapman(300, 200, 60)
    assert result.estimate == pytest.approx(301 * 201 / 61 - 1)
    assert result.observed == 440
    assert result.ci95[0] < result.estimate < result.ci95[1]
    assert result.ci95[0] >= result.observed


@pytest.mark.parametrize("probabilities", [(0.3, 0.25, 0.35), (0.2, 0.3, 0.25, 0.3, 0.2)])
def test_interval_holds_the_true_size_in_at_least_90_of_100_independent_simulations(probabilities):
    rng = np.random.default_rng(2026)
    size = 600
    inside = 0
    for _ in range(100):
        result = estimate(_counts(rng, size, probabilities), len(probabilities))
        inside += result.ci95[0] <= size <= result.ci95[1]
    assert inside >= 90, inside


def test_a_dependent_pair_is_found_and_allowed_for():
    rng = np.random.default_rng(7)
    size = 5000
    found = 0
    for _ in range(20):
        # On list 2 with 0.6 if on list 1, else 0.15: positive dependence that fools an independence model.
        result = estimate(_counts(rng, size, (0.3, 0.3, 0.3), dependent=(0, 1, 0.6, 0.15)), 3)
        found += (0, 1) in result.dependences
        assert abs(result.estimate - size) / size < 0.10
    assert found >= 18
    naive = chapman(*_pair_counts(_counts(rng, size, (0.3, 0.3, 0.3), dependent=(0, 1, 0.6, 0.15))))
    assert naive.estimate < 0.8 * size  # the two dependent lists alone would undercount badly


def _pair_counts(counts):
    n1 = sum(v for h, v in counts.items() if h[0])
    n2 = sum(v for h, v in counts.items() if h[1])
    m = sum(v for h, v in counts.items() if h[0] and h[1])
    return n1, n2, m


@pytest.mark.parametrize("k", [3, 5])
def test_with_name_variation_the_linked_estimate_is_within_10_percent(k):
    rng = random.Random(k)
    size = 3000
    men = simulate.population(size, rng)
    lists = simulate.capture(men, [0.3, 0.35, 0.25, 0.3, 0.2][:k], rng)
    sources = simulate.sources(men, lists, rng)
    result = estimate_population(sources)[0]
    assert abs(result["estimate"] - size) / size < 0.10, result
    truth_observed = len(set().union(*map(set, lists)))
    assert abs(result["observed"] - truth_observed) / truth_observed < 0.02


def test_linking_keeps_one_entry_per_list_and_men_of_one_name_with_different_births_apart():
    import datetime

    from patterns.estimation.sources import Entry, Source
    from patterns.matching import Record

    a = Source("A", [Entry(Record("a1", ["Каримов Рустам"], birth_date=datetime.date(1990, 1, 5))),
                     Entry(Record("a2", ["Каримов Рустам"], birth_date=datetime.date(1984, 7, 20)))])
    b = Source("B", [Entry(Record("b1", ["Rustam Karimov"], birth_date=None))])
    c = Source("C", [Entry(Record("c1", ["KARIMOV RUSTAM"], birth_date=datetime.date(1984, 7, 20)))])
    clusters = link([a, b, c])
    for cluster in clusters:
        lists = [i for i, _ in cluster]
        assert len(lists) == len(set(lists))
    together = [c for c in clusters if (0, 0) in c][0]
    assert (0, 1) not in together
    assert (2, 0) not in together  # the 1990 man is not the 1984 man, even through the dateless entry


def test_by_stratum_gives_one_result_each_and_warns_on_small_groups():
    rng = random.Random(11)
    men = simulate.population(1500, rng)
    lists = simulate.capture(men, [0.3, 0.35, 0.3], rng)
    results = estimate_population(simulate.sources(men, lists, rng), by="nationality")
    assert {r["stratum"] for r in results} == set(simulate.NATIONALITIES)
    tiny = estimate_population(simulate.sources(men[:20], simulate.capture(men[:20], [0.3, 0.3, 0.3], rng), rng))[0]
    assert any("too few" in w for w in tiny["warnings"])
