"""Are two names (with their birth dates) the same person? `compare(a, b) -> Match(score, why, same)`.

The words of each name are aligned by role (cases.names.normalise): a given name with a given name, a surname
with a surname (or a bare root, or a Turkic "son of" standing in for one), a father's name with a father's
name. A given name is never aligned with the other name's surname or father's name once its own name shows
which word is which: Asylbek son of Talgat is not Talgat son of Asylbek. Word pairs score 1 (same key), 0.97
(another standard's reading), 0.95 (Russified vowels), 0.85/0.75 (one or two letters off; never between two
known different given names such as Hasan and Husan), else 0.

Decision (precision first): a different sex marker or a different father's name rules a pair out; a name
score of 88 or more (strong) matches unless the birth dates conflict; 75-87 (initials, typos in both words)
matches only with an equal full birth date; a weak date (year only, 01.01 placeholder, day and month swapped,
one digit off) can support a strong name but never lifts a weaker one. `why` names the rules, never the names
(it is stored beside protected people).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from cases.name_rules import DISTINCT_GIVEN_NAMES
from cases.names import NameForms, Part, loose_key, normalise, strict_key

STRONG, MEDIUM, THRESHOLD = 88, 75, 80
_DISTINCT = frozenset(loose_key(strict_key(n)) for n in DISTINCT_GIVEN_NAMES)
_FORM = {
    "": "bare root", "ru-ov": "-ov/-ev", "ru-ova": "-ova/-eva", "tg-zoda": "Tajik -zoda", "tg-pur": "Tajik -pur",
    "kg-uulu": "Kyrgyz uulu", "kg-kyzy": "kyzy/qizi", "kz-uly": "-uly/-uulu", "kz-kyzy": "-kyzy/-qizi",
    "uz-ogli": "Uzbek -o‘g‘li", "uz-ogli-split": "Uzbek o‘g‘li", "ru-ovich": "-ovich", "ru-ovna": "-ovna",
}
_ROLE = {"name": "given name", "family": "surname", "father": "father's name", "initial": "initial"}


@dataclass(frozen=True)
class Match:
    score: int  # 0-100; `same` is score >= THRESHOLD
    why: str
    same: bool
    name_score: int = 0
    raw: int = 0  # name score + date points, not clipped to 0-100: ranks candidates that both reach 100


# --- dates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BirthDate:
    year: int
    month: int = 0  # 0: not known
    day: int = 0

    @property
    def full(self) -> bool:
        """A real day: not a year alone, not the 01.01 placeholder lists use for an unknown day."""
        return bool(self.day and self.month) and (self.day, self.month) != (1, 1)

    def digits(self) -> str:
        return f"{self.day:02d}{self.month:02d}{self.year:04d}"


_DMY = re.compile(r"^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4}|\d{2})\b")
_YMD = re.compile(r"^(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:г\.?\s*р\.?|г\.?|года?(?:\s+рождения)?|y\.?))?$", re.IGNORECASE)


def _century(year: int) -> int:
    """A two-digit year (17.05.94) in the century that makes it a past year."""
    if year >= 100:
        return year
    return 2000 + year if year <= datetime.date.today().year % 100 else 1900 + year


def birth(value) -> BirthDate | None:
    """A birth date as lists print it: a date, DD.MM.YYYY, DD.MM.YY, YYYY-MM-DD, D/M/YYYY, a year ("1994 г.р.");
    None if absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, BirthDate):
        return value
    if isinstance(value, datetime.date):
        return BirthDate(value.year, value.month, value.day)
    text = str(value).strip()
    if m := _YMD.match(text):
        y, mo, d = (int(x) for x in m.groups())
    elif m := _DMY.match(text):
        d, mo, y = (int(x) for x in m.groups())
        y = _century(y)
    elif m := _YEAR.match(text):
        return BirthDate(int(m.group(1)))
    else:
        return None
    if not 1 <= mo <= 12 and 1 <= d <= 12:
        d, mo = mo, d  # an American order slipped in
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return BirthDate(y)  # not a real day: the year is all it says
    return BirthDate(y, mo, d)


def compare_dates(a: BirthDate | None, b: BirthDate | None) -> tuple[str, int, str]:
    """(kind, points, why): kind is exact, weak, missing or conflict."""
    if a is None or b is None:
        return "missing", 0, "no birth date on one side"
    if a.full and b.full:
        if (a.year, a.month, a.day) == (b.year, b.month, b.day):
            return "exact", 10, "same date of birth"
        if (a.year, a.month, a.day) == (b.year, b.day, b.month):
            return "weak", 3, "birth date with day and month swapped"
        if sum(x != y for x, y in zip(a.digits(), b.digits())) == 1:
            return "weak", 0, "birth dates one digit apart"
        return "conflict", -40, "different birth dates"
    if a.year == b.year:
        placeholder = (a.month, a.day) == (1, 1) or (b.month, b.day) == (1, 1)
        return "weak", 5, "same birth year (01.01 placeholder)" if placeholder else "same birth year (one side gives the year only)"
    if abs(a.year - b.year) == 1:
        return "weak", 0, "birth years one apart (one side gives the year only)"
    return "conflict", -40, "different birth years"


def dates_conflict(a: BirthDate | None, b: BirthDate | None) -> bool:
    """Do two birth dates rule a pair out (compare_dates says "conflict")? A bulk matcher's cheap first test."""
    return a is not None and b is not None and compare_dates(a, b)[0] == "conflict"


# --- names --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=500_000)
def _word_sim(a: str, b: str, a_key: str, b_key: str) -> tuple[float, str]:
    if a_key == b_key:
        return 1.0, "same"
    if a == b:
        return 0.95, "Russified vowels (o/a, e/i, yo/e)"
    short, long_ = sorted((a_key, b_key), key=len)
    if len(short) >= 3 and long_ == short + "jon":  # Uzbek/Tajik -jon (not Kazakh -zhan: Nurzhan is not Nur)
        return 0.85, "given name with or without -jon"
    if a in _DISTINCT and b in _DISTINCT:
        return 0.0, ""
    longest = max(len(a), len(b))
    d = OSA.distance(a, b, score_cutoff=2)
    if d == 1 and longest >= 5:
        return 0.85, "one letter off (typo or OCR slip)"
    if d == 2 and longest >= 8:
        return 0.75, "two letters off (typo or OCR slip)"
    return 0.0, ""


def _pair(x: Part, y: Part) -> tuple[float, str]:
    if "initial" in (x.role, y.role):
        initial, other = (x, y) if x.role == "initial" else (y, x)
        if other.role == "initial" or not other.key.startswith(initial.key):
            return 0.0, ""
        return 0.6, "initial"
    best = (0.0, "")
    for a in {x.root, x.alt} - {""}:
        for b in {y.root, y.alt} - {""}:
            sim, how = _word_sim(a, b, x.stem if a == x.root else a, y.stem if b == y.root else b)
            if (a != x.root or b != y.root) and sim:
                sim, how = min(sim, 0.97), "German-style spelling" if how == "same" else how
            best = max(best, (sim, how))
    sim, how = best
    if sim and x.rule != y.rule and (x.role != "name" or y.role != "name"):
        how = f"{_FORM.get(x.rule, x.rule)} form ~ {_FORM.get(y.rule, y.rule)} form" + ("" if how == "same" else f", {how}")
    return sim, how


def _allowed(x: Part, y: Part, fx: NameForms, fy: NameForms) -> bool:
    """May word x of name fx stand for word y of name fy? (which word is which)"""
    roles = {x.role, y.role}
    if x.role == y.role and x.role != "initial":
        return True
    if roles == {"initial", "name"}:
        return True
    if roles == {"family", "name"}:
        name_side = fx if x.role == "name" else fy
        return not name_side.of("family") and not name_side.family_from_father  # a bare-root surname
    if "father" in roles:
        father_side, father = (fx, x) if x.role == "father" else (fy, y)
        other_side = fy if father_side is fx else fx
        if not father_side.family_from_father:
            return False
        # "X uulu" stands as a surname: against a surname, or a word of a name with no structure of its own.
        return (x.role if father is y else y.role) == "family" or not (other_side.of("family", "father"))
    return False


def _core(f: NameForms) -> list[Part]:
    return [p for p in f.parts if p.role != "father" or f.family_from_father]


def name_score(fa: NameForms, fb: NameForms) -> tuple[int, list[str], bool]:
    """(0-100, reasons, ruled out?) for two names, without dates."""
    if fa.sex and fb.sex and fa.sex != fb.sex:
        return 0, ["different sex (-ov/-ova, uulu/kyzy)"], True
    pairs = []
    core_a, core_b = _core(fa), _core(fb)
    for x in fa.parts:
        for y in fb.parts:
            if (x in core_a or y in core_b) and _allowed(x, y, fa, fb):
                sim, how = _pair(x, y)
                if sim:
                    pairs.append((sim, x.role == y.role, x, y, how))
    pairs.sort(key=lambda p: (-p[0], not p[1]))
    used_a, used_b, chosen = set(), set(), []
    for sim, _same_role, x, y, how in pairs:
        if id(x) in used_a or id(y) in used_b:
            continue
        used_a.add(id(x))
        used_b.add(id(y))
        chosen.append((sim, x, y, how))
    n = min(len(core_a), len(core_b))
    counted = [c for c in chosen if c[1] in core_a or c[2] in core_b]
    strong_words = sum(1 for c in counted if c[0] >= 0.7 and "initial" not in (c[1].role, c[2].role))
    total = sum(c[0] for c in counted)
    score = 100.0 * min(total, n) / n if n else 0.0
    if n < 2 or strong_words < 1 or len([c for c in counted if c[0] >= 0.6]) < 2:
        score = min(score, 60.0)
    reasons = [f"{_ROLE[c[1].role if c[1].role == c[2].role else c[2].role if c[1].role == 'name' else c[1].role]}: {c[3]}" for c in counted]
    ruled_out = False
    fathers = [(x, y) for x in fa.of("father") for y in fb.of("father") if id(x) not in used_a and id(y) not in used_b]
    for x, y in fathers[:1]:
        sim, how = _pair(x, y)
        if sim >= 0.7:
            score += 4
            reasons.append(f"patronymic {_FORM.get(x.rule, x.rule)} ~ {_FORM.get(y.rule, y.rule)}" + ("" if how == "same" or "form" in how else f" ({how})"))
        elif OSA.normalized_similarity(x.root, y.root) < 0.5:  # not a mangled spelling of the same name
            ruled_out = True
            reasons.append("different father's name")
    return int(round(min(score, 100.0))), reasons, ruled_out


def compare_forms(fa: NameForms, fb: NameForms, born_a=None, born_b=None) -> Match:
    score, reasons, ruled_out = name_score(fa, fb)
    kind, points, date_why = compare_dates(birth(born_a), birth(born_b))
    reasons.append(date_why)
    same = not ruled_out and kind != "conflict" and (score >= STRONG or (score >= MEDIUM and kind == "exact"))
    total = max(0, min(100, score + points))
    total = max(total, THRESHOLD) if same else min(total, THRESHOLD - 1)
    return Match(total, "; ".join(reasons), same, score, score + points)


def compare(a, b, *, born_a=None, born_b=None) -> Match:
    """Compare two names (strings or NameForms), with optional birth dates (dates or strings as lists print them)."""
    fa = a if isinstance(a, NameForms) else normalise(a)
    fb = b if isinstance(b, NameForms) else normalise(b)
    return compare_forms(fa, fb, born_a, born_b)
