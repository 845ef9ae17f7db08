"""The name matcher in bulk: list entries against people, across scripts, without comparing all pairs.

Pure Python over plain records (no database), so that `match_lists`, the list matcher, duplicate warnings,
bench/matching.py and the counting to come share one scorer. Names are read by cases.names (the same reading
as the blind index) and compared by cases.name_compare (`compare(a, b) -> Match(score, why, same)`); this
module blocks records on the skeletons and prefixes of their word roots, the initials and the birth date, and
offers `Index.match` (every candidate of one record), `match_records` / `match_within` (every pair over the
cut-off) and `link(list_a, list_b)` (the one unambiguous partner of each record, for counting).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from cases.name_compare import THRESHOLD, BirthDate, birth, compare_forms, dates_conflict
from cases.names import NameForms, normalise, normalise_name

__all__ = ["DEFAULT_MIN_SCORE", "Record", "Match", "Index", "score_pair", "link", "match_records", "match_within", "parse_birth_date"]

# The cut-off used on screen and by `match_lists` unless --min-score is given: the matcher's "same person".
DEFAULT_MIN_SCORE = THRESHOLD
# Members of a block bigger than this (a common first name with a common patronymic) are compared only
# if they share a second key with the record; members of blocks bigger than MAX_BLOCK only if nothing
# else is found. See Index._candidates.
COMMON_BLOCK = 40
MAX_BLOCK = 400
# Two accepted candidates this close are a tie: `link` links neither (a common name without a telling date).
TIE = 3

_VOWELS = set("aeiou")


@dataclass
class Record:
    """One name-bearing record: a list entry or a person. `names` holds every spelling (Latin, Cyrillic, aliases).

    `birth_date` may be a date, a string as lists print it (DD.MM.YYYY, YYYY-MM-DD, a year) or None.
    """

    id: object
    names: list[str]
    birth_date: object = None
    region: str = ""
    forms: list[NameForms] = field(default_factory=list, repr=False)
    born: BirthDate | None = field(default=None, repr=False)
    region_key: str = field(default="", repr=False)

    def __post_init__(self):
        for name in self.names:
            forms = normalise(name or "")
            if any(p.role != "initial" for p in forms.parts) and forms not in self.forms:
                self.forms.append(forms)
        self.born = birth(self.birth_date)
        self.region_key = normalise_name(self.region)

    @property
    def variants(self) -> list[NameForms]:
        return self.forms


@dataclass(frozen=True)
class Match:
    """A candidate pair: record a of the probe side, record b of the indexed side."""

    a: object
    b: object
    score: int
    why: str
    same: bool = True
    raw: int = 0  # unclipped score (cases.name_compare.Match.raw), for ranking and ties


@lru_cache(maxsize=200_000)
def _skeleton(root: str) -> str:
    """The first three consonants of a loose root: survives vowel variants (Muhammad/Mohammed)."""
    consonants = [c for c in root if c not in _VOWELS]
    return "".join(consonants[:3]) or root[:3]


def _keys(record: Record, *, probe: bool = False) -> set[tuple]:
    """The record's blocking keys, worked out once per record and use (a record is often probed against several
    indexes). A probe without initials skips the (root, initial) keys: they only serve "Нысанбаев А."."""
    slot = "_probe_keys" if probe else "_blocking_keys"
    cached = record.__dict__.get(slot)
    if cached is None:
        cached = record.__dict__[slot] = _work_out_keys(record, probe)
    return cached


def _work_out_keys(record: Record, probe: bool) -> set[tuple]:
    keys: set[tuple] = set()
    full = record.born is not None and bool(record.born.day)
    for forms in record.forms:
        words = [p for p in forms.parts if p.role != "initial"]
        roots = [r for p in words for r in (p.root, p.alt) if r]
        for r1, r2 in combinations(roots, 2):
            keys.add(("s",) + tuple(sorted((_skeleton(r1), _skeleton(r2)))))
            keys.add(("p",) + tuple(sorted((r1[:3], r2[:3]))))
        initials = not probe or any(p.role == "initial" for p in forms.parts)
        for p in words:
            # Surname (or any word) with the initial of another: "Нысанбаев А."
            for q in forms.parts if initials else ():
                if q is not p:
                    keys.add(("i", _skeleton(p.root), q.key[:1]))
            if full:
                keys.add(("d", record.born, _skeleton(p.root)))
    return keys


def score_pair(a: Record, b: Record, *, min_score: int = 0) -> Match | None:
    """The best comparison over the two records' spellings (cases.name_compare), with the region as a note."""
    best = None
    for x in a.forms:
        for y in b.forms:
            m = compare_forms(x, y, a.born, b.born)
            if best is None or (m.same, m.score, m.raw) > (best.same, best.score, best.raw):
                best = m
    if best is None:
        return None
    score, why = best.score, best.why
    if a.region_key and b.region_key:
        same_region = a.region_key == b.region_key
        why += "; same region" if same_region else "; different region"
        score = score + 2 if same_region else score - 3
        score = max(score, THRESHOLD) if best.same else min(score, THRESHOLD - 1)
    score = max(0, min(100, score))
    return Match(a.id, b.id, score, why, best.same, best.raw + (score - best.score))


class Index:
    """People (or list B) indexed by blocking keys."""

    def __init__(self, records: Iterable[Record]):
        self.records: list[Record] = []
        self.blocks: dict[tuple, list[int]] = defaultdict(list)
        self.last_compared = 0  # pairs compared by the last `match` (for the bench)
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
        for key in _keys(record, probe=True):
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
        # A pair that is not the same person scores under THRESHOLD (score_pair clips it), and birth dates in
        # conflict rule a pair out whatever the names: at a cut-off of THRESHOLD or more such a pair is skipped
        # before its names are compared (most candidates of a large list: namesakes born the same year).
        need_same = min_score >= THRESHOLD
        for i in candidates:
            other = self.records[i]
            if exclude is not None and exclude(other):
                continue
            if need_same and dates_conflict(record.born, other.born):
                continue
            m = score_pair(record, other, min_score=min_score)
            if m is not None and m.score >= min_score:
                out.append(m)
        out.sort(key=lambda m: (-m.score, -m.raw, str(m.b)))
        self.last_compared = len(candidates)
        return out, len(candidates)

    def best(self, record: Record) -> Match | None:
        """The one record that is the same person as `record`, or None (nothing, or a tie: see `link`)."""
        found = [m for m in self.match(record, min_score=THRESHOLD)[0] if m.same]
        if found and (len(found) == 1 or found[1].raw < found[0].raw - TIE):
            return found[0]
        return None


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


def link(list_a: Iterable[Record], list_b: Iterable[Record]) -> list[Match]:
    """Bulk linkage: for each record of list_a, the one record of list_b that is the same person, if there is one.

    A record whose two best accepted candidates score within TIE points of each other (a very common name and no
    telling birth date) is left unlinked: precision first.
    """
    index = Index(list_b)
    return [m for m in (index.best(record) for record in list_a) if m is not None]


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
