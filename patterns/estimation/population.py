"""From linked lists to estimates: capture histories per stratum, the estimate, and warnings in plain words."""

from __future__ import annotations

import math
from collections import Counter


from django.utils.translation import gettext as _

from patterns.estimation import estimators
from patterns.estimation.linkage import link
from patterns.estimation.sources import Source

ALL = "all"


def histories(sources: list[Source], clusters, *, by: str | None) -> dict[str, Counter]:
    """The count of each capture history, per stratum (the first list that knows a person's value decides)."""
    k = len(sources)
    out: dict[str, Counter] = {}
    for cluster in clusters:
        seen = [0] * k
        value = ""
        for i, j in sorted(cluster):
            seen[i] = 1
            if by and not value:
                value = sources[i].entries[j].strata.get(by, "")
        stratum = (value or _("not recorded")) if by else ALL
        out.setdefault(stratum, Counter())[tuple(seen)] += 1
    return out


def _warnings(result: estimators.Estimate, counts: Counter, labels: list[str]) -> list[str]:
    k = len(labels)
    notes = []
    if result.observed < estimators.MIN_STRATUM:
        notes.append(_("Only %(n)s people in this group: too few for a reliable estimate.") % {"n": result.observed})
    for (i, j), m in estimators.pair_overlaps(counts, k).items():
        if m < estimators.MIN_PAIR_OVERLAP:
            notes.append(
                _("Lists %(a)s and %(b)s share only %(m)s people: the estimate rests on a very small overlap.")
                % {"a": labels[i], "b": labels[j], "m": m}
            )
    for i, j in result.dependences:
        notes.append(
            _("Lists %(a)s and %(b)s are not independent (people on one are more or less likely to be on the other); the model allows for it.")
            % {"a": labels[i], "b": labels[j]}
        )
    if k == 2:
        notes.append(_("With two lists their independence cannot be checked; if they draw on the same sources the estimate is too low."))
    if math.isinf(result.ci95[1]) or math.isnan(result.estimate):
        notes.append(_("The data do not bound the estimate from above: the lists overlap too little."))
    return notes


def _number(x: float) -> float | None:
    return None if (math.isnan(x) or math.isinf(x)) else round(x, 1)


def stratum_result(stratum: str, counts: Counter, labels: list[str]) -> dict:
    k = len(labels)
    result = estimators.estimate(dict(counts), k)
    overlaps = {f"{labels[i]} & {labels[j]}": m for (i, j), m in estimators.pair_overlaps(counts, k).items()}
    return {
        "stratum": stratum,
        "lists": k,
        "observed": result.observed,
        "estimate": _number(result.estimate),
        "ci95": [_number(result.ci95[0]), _number(result.ci95[1])],
        "model": result.model,
        "overlaps": overlaps,
        "histories": {"".join(map(str, h)): n for h, n in sorted(counts.items(), reverse=True)},
        "warnings": _warnings(result, counts, labels),
    }


def estimate_population(sources: list[Source], *, by: str | None = None, progress=None) -> list[dict]:
    """One result per stratum (or one for all), as `estimate_population` prints them."""
    if not 2 <= len(sources) <= 6:
        raise ValueError(_("Estimation needs two to six lists, not %(n)s.") % {"n": len(sources)})
    labels = [s.label for s in sources]
    if len(set(labels)) != len(labels):
        labels = [f"{i + 1}:{label}" for i, label in enumerate(labels)]
    if progress:
        progress(10, _("Linking the lists"))
    clusters = link(sources)
    if progress:
        progress(70, _("Estimating"))
    out = [stratum_result(stratum, counts, labels) for stratum, counts in sorted(histories(sources, clusters, by=by).items())]
    if progress:
        progress(100, _("Done"))
    return out



