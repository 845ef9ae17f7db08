"""Multiple-systems estimation from capture histories: how many people no list caught.

Pure numbers, no database and no names. A *history* is a tuple of 0/1 of length k (1 = on that list); the
counts of the 2^k - 1 observable histories are the input. Two lists: the Chapman estimator with the log-normal
interval of Chao (1987). Three to six lists: hierarchical log-linear models (Poisson GLM, statsmodels) with main
effects and pairwise list dependences, chosen by BIC (every model for up to four lists, forward selection
beyond), with a profile-likelihood interval for the total (Cormack 1992). docs/estimation.md explains the method.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from itertools import combinations, product

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln

Z95 = 1.959963984540054
CHI2_1_95 = 3.841458820694124  # the 95% quantile of chi-squared with one degree of freedom
EXHAUSTIVE_UP_TO = 4  # lists; beyond, forward selection over pairwise terms
MIN_PAIR_OVERLAP = 5
MIN_STRATUM = 20


@dataclass
class Estimate:
    lists: int
    observed: int
    estimate: float
    ci95: tuple[float, float]
    model: str
    dependences: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def histories_of(k: int) -> list[tuple[int, ...]]:
    """Every observable history, in a fixed order (binary counting, the all-zero one left out)."""
    return [h for h in product((0, 1), repeat=k) if any(h)]


def pair_overlaps(counts: dict[tuple[int, ...], int], k: int) -> dict[tuple[int, int], int]:
    return {(i, j): sum(n for h, n in counts.items() if h[i] and h[j]) for i, j in combinations(range(k), 2)}


# --- two lists ----------------------------------------------------------------------------------------------


def chapman(n1: int, n2: int, m: int) -> Estimate:
    """Chapman's nearly unbiased estimator and Chao's log-normal 95% interval (never below the observed)."""
    observed = n1 + n2 - m
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    unseen = estimate - observed
    if unseen <= 0 or variance <= 0:
        ci = (float(observed), float(max(observed, estimate)))
    else:
        c = math.exp(Z95 * math.sqrt(math.log(1 + variance / unseen**2)))
        ci = (observed + unseen / c, observed + unseen * c)
    return Estimate(2, observed, estimate, ci, "Chapman (two lists, assumed independent)")


# --- log-linear models ----------------------------------------------------------------------------------------


def _design(k: int, pairs: tuple[tuple[int, int], ...], rows: list[tuple[int, ...]]) -> np.ndarray:
    cols = [np.ones(len(rows))]
    cols += [np.array([h[i] for h in rows], dtype=float) for i in range(k)]
    cols += [np.array([h[i] * h[j] for h in rows], dtype=float) for i, j in pairs]
    return np.column_stack(cols)


def _fit(y: np.ndarray, x: np.ndarray):
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, x, family=sm.families.Poisson()).fit()


@dataclass
class _Fitted:
    pairs: tuple[tuple[int, int], ...]
    bic: float
    unseen: float


def _fit_model(k: int, pairs, rows, y) -> _Fitted | None:
    x = _design(k, pairs, rows)
    if x.shape[1] >= len(rows):  # saturated or beyond: the unseen cell is not identified
        return None
    try:
        result = _fit(y, x)
    except (ValueError, np.linalg.LinAlgError):
        return None
    unseen = math.exp(result.params[0])
    if not math.isfinite(unseen) or not result.converged:
        return None
    # BIC on the observed cells: deviance-free form from the log-likelihood.
    bic = -2 * result.llf + x.shape[1] * math.log(max(y.sum(), 2))
    return _Fitted(tuple(pairs), bic, unseen)


def _select(k: int, rows, y) -> _Fitted | None:
    all_pairs = list(combinations(range(k), 2))
    if k <= EXHAUSTIVE_UP_TO:
        fitted = [_fit_model(k, subset, rows, y) for r in range(len(all_pairs) + 1) for subset in combinations(all_pairs, r)]
        fitted = [f for f in fitted if f is not None]
        return min(fitted, key=lambda f: (f.bic, len(f.pairs))) if fitted else None
    best = _fit_model(k, (), rows, y)
    while best is not None:
        tries = [_fit_model(k, best.pairs + (p,), rows, y) for p in all_pairs if p not in best.pairs]
        tries = [f for f in tries if f is not None and f.bic < best.bic]
        if not tries:
            break
        best = min(tries, key=lambda f: f.bic)
    return best


def _profile(k: int, pairs, rows, y, observed: int, unseen_hat: float) -> tuple[float, float]:
    """The 95% profile-likelihood interval of the total: fit the completed table for each total N."""
    full_rows = rows + [tuple([0] * k)]
    x = _design(k, pairs, full_rows)

    def loglik(total: float) -> float:
        z = np.append(y, total - observed)
        mu = _fit(z, x).fittedvalues
        p = mu / mu.sum()
        return float(gammaln(total + 1) - gammaln(total - observed + 1) + np.sum(z * np.log(np.maximum(p, 1e-300))))

    top_at = observed + unseen_hat
    top = loglik(top_at)
    cut = lambda total: top - loglik(total) - CHI2_1_95 / 2  # noqa: E731

    if cut(observed) <= 0:
        lo = float(observed)
    else:
        lo = brentq(cut, observed, top_at, xtol=0.01)
    hi_probe = top_at + max(unseen_hat, 10.0)
    for _ in range(40):
        if cut(hi_probe) > 0:
            break
        hi_probe = observed + 2 * (hi_probe - observed)
    else:
        return lo, math.inf
    hi = brentq(cut, top_at, hi_probe, xtol=0.01)
    return lo, hi


def loglinear(counts: dict[tuple[int, ...], int], k: int) -> Estimate:
    rows = histories_of(k)
    y = np.array([counts.get(h, 0) for h in rows], dtype=float)
    observed = int(y.sum())
    best = _select(k, rows, y)
    if best is None:
        return Estimate(k, observed, math.nan, (math.nan, math.nan), "no log-linear model could be fitted")
    lo, hi = _profile(k, best.pairs, rows, y, observed, best.unseen)
    name = "log-linear, independent lists" if not best.pairs else "log-linear with dependence between " + ", ".join(
        f"{i + 1}&{j + 1}" for i, j in best.pairs
    )
    return Estimate(k, observed, observed + best.unseen, (lo, hi), name + " (chosen by BIC)", list(best.pairs))


def estimate(counts: dict[tuple[int, ...], int], k: int) -> Estimate:
    """The estimate for k lists (2 to 6) from the counts of their capture histories."""
    if not 2 <= k <= 6:
        raise ValueError("estimation needs two to six lists")
    if k == 2:
        n1 = counts.get((1, 0), 0) + counts.get((1, 1), 0)
        n2 = counts.get((0, 1), 0) + counts.get((1, 1), 0)
        return chapman(n1, n2, counts.get((1, 1), 0))
    return loglinear(counts, k)
