"""Linking k lists into people: each person is a cluster with at most one entry from each list.

Every pair of lists is matched with the project's matcher (patterns.matching); confirmed decisions join first,
rejected ones never join, and the remaining candidate pairs join best first as long as a cluster never holds two
entries of one list (a list names a man once; a second close name on the same list is another man).
"""

from __future__ import annotations

import datetime
from itertools import combinations

from patterns.estimation.sources import Source
from patterns.matching import THRESHOLD, Index, Record

Key = tuple[int, int]  # (list index, entry index)


def _date_forms(day: datetime.date | None) -> frozenset:
    if day is None:
        return frozenset()
    forms = {day}
    if day.day <= 12:
        forms.add(datetime.date(day.year, day.day, day.month))  # day and month swapped by one list
    return frozenset(forms)


class _Clusters:
    """Union-find over entries; a cluster holds one entry per list and dates of birth that agree."""

    def __init__(self, keys: list[Key], dates: dict[Key, frozenset]):
        self.parent = {k: k for k in keys}
        self.lists = {k: {k[0]} for k in keys}
        self.dates = {k: [dates[k]] if dates[k] else [] for k in keys}

    def find(self, k: Key) -> Key:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: Key, b: Key) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.lists[ra] & self.lists[rb]:
            return False
        # Two dated entries of one man share a date (or its swap): a link through a dateless entry may not
        # join two men of one name born on different days.
        if any(not (x & y) for x in self.dates[ra] for y in self.dates[rb]):
            return False
        self.parent[rb] = ra
        self.lists[ra] |= self.lists.pop(rb)
        self.dates[ra] += self.dates.pop(rb)
        return True

    def groups(self) -> list[list[Key]]:
        out: dict[Key, list[Key]] = {}
        for k in self.parent:
            out.setdefault(self.find(k), []).append(k)
        return list(out.values())


def _records(source: Source, i: int) -> list[Record]:
    return [Record((i, j), e.record.names, birth_date=e.record.birth_date, region=e.record.region) for j, e in enumerate(source.entries)]


def _year(record: Record) -> int | None:
    born = record.birth_date
    return born.year if isinstance(born, datetime.date) else None


class _YearIndex:
    """One list, indexed by the matcher (patterns.matching.Index) once per birth year and once for the undated.

    Two dated entries are compared only when their years differ by at most one (a weak date may support a strong
    name, never make a weak one match, so nothing that could have linked is lost); a dateless entry is compared
    with everyone. On lists of tens of thousands this divides the comparisons by the number of birth years, and
    each entry is indexed once.
    """

    def __init__(self, records: list[Record]):
        groups: dict[int | None, list[Record]] = {}
        for record in records:
            groups.setdefault(_year(record), []).append(record)
        self.indexes = {year: Index(group) for year, group in groups.items()}

    def matches(self, record: Record, min_score: int) -> list:
        year = _year(record)
        years = list(self.indexes) if year is None else [year - 1, year, year + 1, None]
        out = []
        for y in years:
            index = self.indexes.get(y)
            if index is not None:
                out.extend(m for m in index.match(record, min_score=min_score)[0] if m.same)
        return out


def link(sources: list[Source], *, min_score: int = THRESHOLD) -> list[list[Key]]:
    """The people across the lists: each a list of (list index, entry index)."""
    keys = [(i, j) for i, s in enumerate(sources) for j in range(len(s.entries))]
    dates = {k: _date_forms(sources[k[0]].entries[k[1]].record.birth_date) for k in keys}
    clusters = _Clusters(keys, dates)
    person_list = next((i for i, s in enumerate(sources) if s.person_ids), None)
    forbidden: set[tuple[Key, Key]] = set()
    if person_list is not None:
        people = sources[person_list].person_ids
        for i, s in enumerate(sources):
            for j, person in s.confirmed:
                if person in people:
                    clusters.join((person_list, people[person]), (i, j))
            forbidden |= {((i, j), (person_list, people[p])) for j, p in s.rejected if p in people}
    records = [_records(s, i) for i, s in enumerate(sources)]
    indexes = [_YearIndex(r) for r in records]
    matches = []
    for a, b in combinations(range(len(sources)), 2):
        for record in records[a]:
            matches.extend(indexes[b].matches(record, min_score))
    # Best first; at equal scores a pair whose dates of birth agree goes before a pair with a date missing.
    matches.sort(key=lambda m: (-m.score, not (dates[m.a] & dates[m.b])))
    for m in matches:
        if (m.a, m.b) not in forbidden and (m.b, m.a) not in forbidden:
            clusters.join(m.a, m.b)
    return clusters.groups()
