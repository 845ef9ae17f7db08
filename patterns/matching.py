"""The name matcher: list entries against people, across scripts, without comparing all pairs.

Pure Python over plain records (no database), so that `match_lists`, the list matcher, duplicate
detection and bench/matching.py all share one scorer. Names go through cases.names (the same
normaliser as the blind index), are blocked on pairs of token prefixes, and each candidate pair is
scored with rapidfuzz and adjusted by date of birth and region.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import OSA

from cases.names import name_tokens, normalise_name

# The cut-off used on screen and by `match_lists` unless --min-score is given.
DEFAULT_MIN_SCORE = 80
# Members of a block bigger than this (a common first name with a common patronymic) are compared only
# if they share a second key with the record; members of blocks bigger than MAX_BLOCK only if nothing
# else is found. See Index._candidates.
COMMON_BLOCK = 40
MAX_BLOCK = 400

_VOWELS = set("aeiou")


@dataclass
class Record:
    """One name-bearing record: a list entry or a person. `names` holds every spelling (Latin, Cyrillic, aliases)."""

    id: object
    names: list[str]
    birth_date: datetime.date | None = None
    region: str = ""
    variants: list[tuple[str, ...]] = field(default_factory=list, repr=False)
    region_key: str = field(default="", repr=False)

    def __post_init__(self):
        seen = set()
        for name in self.names:
            all_tokens = name_tokens(name)
            # Initials ("R. Nysanbaev") say too little to block or score on.
            tokens = tuple(t for t in all_tokens if len(t) > 1 or len(all_tokens) == 1)
            if tokens and tokens not in seen:
                seen.add(tokens)
                self.variants.append(tokens)
        self.region_key = normalise_name(self.region)


@dataclass(frozen=True)
class Match:
    a: object
    b: object
    score: int
    why: str


@lru_cache(maxsize=200_000)
def _skeleton(token: str) -> str:
    """The first three consonants: survives vowel variants (Muhammad/Mohammed) and -ov/-ova endings."""
    consonants = [c for c in token if c not in _VOWELS]
    return "".join(consonants[:3]) or token[:3]


def _keys(record: Record) -> set[tuple]:
    keys = set()
    for tokens in record.variants:
        if len(tokens) == 1:
            keys.add(("1", _skeleton(tokens[0])))
            keys.add(("1p", tokens[0][:3]))
            continue
        for t1, t2 in combinations(tokens, 2):
            keys.add(("s",) + tuple(sorted((_skeleton(t1), _skeleton(t2)))))
            keys.add(("p",) + tuple(sorted((t1[:3], t2[:3]))))
        if record.birth_date:
            # A different first name (a nickname, a Russian name) with the same surname and birth date.
            for t in tokens:
                keys.add(("d", record.birth_date, _skeleton(t)))
    return keys


@lru_cache(maxsize=500_000)
def _token_similarity(a: str, b: str) -> float:
    """1 for equal tokens, falling to 0 at half the letters different.

    Spelling variants the normaliser leaves (a typo, a swapped pair, a dropped vowel) keep 0.7–0.9;
    two different names of similar shape (Nurbek/Nurjan, Kurbanov/Tursunov) fall to about 0–0.25.
    """
    if a == b:
        return 1.0
    return max(0.0, (OSA.normalized_similarity(a, b) - 0.5) * 2)


def _name_score(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[float, str]:
    """Align each token of the shorter name with its best counterpart in the other; 0–100."""
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    used: set[int] = set()
    total = weight = 0.0
    for tok in short:
        best, best_j = 0.0, -1
        for j, other in enumerate(long):
            if j in used:
                continue
            sim = _token_similarity(tok, other)
            if sim > best:
                best, best_j = sim, j
        if best_j >= 0:
            used.add(best_j)
        w = max(len(tok), 3)
        total += best * w
        weight += w
    score = 100.0 * total / weight if weight else 0.0
    if len(short) == 1 and len(long) > 1:
        score *= 0.75  # one shared name alone is weak evidence
    how = "same name" if score >= 99.5 else "similar name"
    return score, how


def _one_digit_apart(x: datetime.date, y: datetime.date) -> bool:
    """A typo in a date of birth: the ISO forms differ in exactly one character."""
    return sum(1 for c, d in zip(x.isoformat(), y.isoformat()) if c != d) == 1


def score_pair(a: Record, b: Record, *, min_score: int = 0) -> Match | None:
    best, best_pair, how = -1.0, None, ""
    for x in a.variants:
        for y in b.variants:
            s, h = _name_score(x, y)
            if s > best:
                best, best_pair, how = s, (x, y), h
    if best_pair is None or best + 15 < min_score:
        return None
    score = best
    # The reason names no name: it is stored beside a person whose names are protected fields.
    agree = sum(1 for t in best_pair[0] if t in best_pair[1])
    reasons = [f"{how} {round(best)} ({agree} of {min(len(best_pair[0]), len(best_pair[1]))} names equal after normalisation)"]
    if a.birth_date and b.birth_date:
        if a.birth_date == b.birth_date:
            # An equal date of birth confirms a similar name; it does not make a different name similar.
            score += 12 if best >= 85 else 5
            reasons.append("same date of birth")
        elif (a.birth_date.year, a.birth_date.month, a.birth_date.day) == (b.birth_date.year, b.birth_date.day, b.birth_date.month):
            score -= 3
            reasons.append("date of birth with day and month swapped")
        elif _one_digit_apart(a.birth_date, b.birth_date):
            score -= 8
            reasons.append("date of birth one digit apart")
        elif a.birth_date.year == b.birth_date.year:
            score -= 25
            reasons.append("same birth year, different day")
        else:
            score -= 35
            reasons.append("different date of birth")
    else:
        reasons.append("no date of birth to compare")
    if a.region_key and b.region_key:
        if a.region_key == b.region_key:
            score += 3
            reasons.append("same region")
        else:
            score -= 5
            reasons.append("different region")
    score = int(round(min(100.0, max(0.0, score))))
    return Match(a.id, b.id, score, "; ".join(reasons))


class Index:
    """People (or list B) indexed by blocking keys."""

    def __init__(self, records: Iterable[Record]):
        self.records: list[Record] = []
        self.blocks: dict[tuple, list[int]] = defaultdict(list)
        for record in records:
            if not record.variants:
                continue
            i = len(self.records)
            self.records.append(record)
            for key in _keys(record):
                self.blocks[key].append(i)

    def _candidates(self, record: Record) -> set[int]:
        hits: dict[int, int] = defaultdict(int)
        rare: set[int] = set()
        huge: list[list[int]] = []
        for key in _keys(record):
            block = self.blocks.get(key)
            if not block:
                continue
            if len(block) > MAX_BLOCK:
                huge.append(block)
                continue
            small = len(block) <= COMMON_BLOCK
            for i in block:
                hits[i] += 1
                if small:
                    rare.add(i)
        found = rare | {i for i, n in hits.items() if n > 1}
        if huge and not found:
            # Only huge blocks (a very common name pair): take the one, or the members of at least two.
            if len(huge) == 1:
                return set(huge[0])
            counts: dict[int, int] = defaultdict(int)
            for block in huge:
                for i in block:
                    counts[i] += 1
            return {i for i, n in counts.items() if n > 1}
        return found

    def match(self, record: Record, *, min_score: int = DEFAULT_MIN_SCORE, exclude=None) -> tuple[list[Match], int]:
        """Candidates for one record, best first, and the number of pairs compared."""
        out = []
        candidates = self._candidates(record)
        for i in candidates:
            other = self.records[i]
            if exclude is not None and exclude(other):
                continue
            m = score_pair(record, other, min_score=min_score)
            if m is not None and m.score >= min_score:
                out.append(m)
        out.sort(key=lambda m: (-m.score, str(m.b)))
        return out, len(candidates)


def match_records(a: Iterable[Record], b: Iterable[Record], *, min_score: int = DEFAULT_MIN_SCORE, stats: dict | None = None) -> list[Match]:
    """Every candidate pair (a, b) scoring at least min_score, best first."""
    index = Index(b)
    pairs = 0
    out: list[Match] = []
    for record in a:
        if not record.variants:
            continue
        found, compared = index.match(record, min_score=min_score)
        pairs += compared
        out.extend(found)
    out.sort(key=lambda m: (-m.score, str(m.a), str(m.b)))
    if stats is not None:
        stats["pairs"] = pairs
    return out


def match_within(records: Iterable[Record], *, min_score: int = DEFAULT_MIN_SCORE) -> list[Match]:
    """Likely duplicates inside one set: each unordered pair once, best first."""
    records = list(records)
    index = Index(records)
    out = []
    for record in index.records:
        found, _ = index.match(record, min_score=min_score, exclude=lambda other, me=record: other is me)
        out.extend(m for m in found if str(m.a) < str(m.b))
    out.sort(key=lambda m: (-m.score, str(m.a), str(m.b)))
    return out


_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$|^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


def parse_birth_date(text: str) -> datetime.date:
    """YYYY-MM-DD or DD.MM.YYYY (the form Russian lists use); ValueError otherwise."""
    text = (text or "").strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"not a date (use YYYY-MM-DD or DD.MM.YYYY): {text!r}")
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        d, mo, y = int(m.group(4)), int(m.group(5)), int(m.group(6))
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        raise ValueError(f"not a real date: {text!r}") from None
