"""The project's one name matcher: how a name is read (this module) and compared (cases/name_compare.py).

Everything that links records rests on it: the case search (its blind index, cases/blind_index.py), duplicate
warnings, published-list matching and `match_lists` (patterns/matching.py). Its public interface:

- ``normalise(name) -> NameForms``: the name's words, each with its role (given name, surname, father's name,
  initial), the rule that gave the role, and its keys;
- ``tokens(name) -> set[str]``: what the blind index stores for a name and what a search looks up, one loose
  key per word root, so that Умаров, Umarzoda and Umar find each other;
- ``compare(a, b) -> Match(score, why, ...)``: from cases.name_compare, names with optional birth dates;
- ``normalise_name`` / ``name_tokens``: the strict key (older callers, list fingerprints, redaction).

Letters: NFKC and case folding; Latin look-alikes inside Cyrillic words (and back) and digits for letters
repaired by the script of the word; the Central Asian letters and folds of cases/name_rules.py (one table);
Russian letters through `iuliia` (MVD 782); anything else through anyascii. Keys are matching forms, never
spellings to show: the strict key folds what romanisations disagree on (y/i, kh/x/h, zh/j, q/k...), the loose
key also what Russian spelling changes in native names (o/a, e/i, initial yo/e, a final h).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import iuliia
from anyascii import anyascii

from cases.name_cyrillic import to_cyrillic
from cases.name_rules import (
    APOSTROPHES, CYRILLIC_TO_LATIN, DIGITS_IN_CYRILLIC, DIGITS_IN_LATIN, LATIN_TO_CYRILLIC, RULES,
)

__all__ = ["NameForms", "Part", "normalise", "tokens", "compare", "normalise_name", "name_tokens", "to_cyrillic", "strict_key", "loose_key"]

_LETTERS = {r.source: r.target for r in RULES if r.kind == "letter" and len(r.source) == 1}
_KZ18 = set("áǵńóúı")
_WORD = re.compile(r"(?:[^\W_]|[" + APOSTROPHES + r"])+", re.UNICODE)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_VOWELS = "aeiou"
_ONE_APOSTROPHE = str.maketrans(APOSTROPHES, "'" * len(APOSTROPHES))
_RUSSIAN = iuliia.MVD_782


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _has_cyrillic(text: str) -> bool:
    return any(_is_cyrillic(c) for c in text)


_LATIN_LOOKALIKES = frozenset(chr(c) for c in LATIN_TO_CYRILLIC)
_CYRILLIC_LOOKALIKES = frozenset(chr(c) for c in CYRILLIC_TO_LATIN)
_INNER_DIGIT = re.compile(r"(?<=[^\W\d_])\d(?=[^\W\d_])")


def _repair_word(word: str) -> str:
    """Latin look-alikes, and digits between letters, read by the script most of the word's letters are in.

    A digit at the edge of a word stays a digit ("Person3" is a label, not "Persone").
    """
    cyr = sum(1 for c in word if _is_cyrillic(c))
    lat = sum(1 for c in word if c.isascii() and c.isalpha())
    if not (cyr and lat) and not _INNER_DIGIT.search(word):
        return word
    # The script is told by the letters that look like nothing in the other one (ф, и, ч...; f, i, s...).
    own_cyr = sum(1 for c in word if _is_cyrillic(c) and c not in _CYRILLIC_LOOKALIKES)
    own_lat = sum(1 for c in word if c.isascii() and c.isalpha() and c not in _LATIN_LOOKALIKES)
    cyrillic = own_cyr > own_lat or (own_cyr == own_lat and cyr >= lat)
    letters, digits = (LATIN_TO_CYRILLIC, DIGITS_IN_CYRILLIC) if cyrillic else (CYRILLIC_TO_LATIN, DIGITS_IN_LATIN)
    return _INNER_DIGIT.sub(lambda m: m.group(0).translate(digits), word.translate(letters))


def _letter(ch: str, word: str, i: int) -> str:
    if ch == "ý":  # Kazakh 2018 у (between vowels, or beside other 2018 letters), Turkmen й
        between = 0 < i < len(word) - 1 and word[i - 1] in "aeiouyáóú" and word[i + 1] in "aeiouyáóúı"
        turkmen = word.endswith(("ew", "ow"))
        return "u" if (_KZ18 & set(word)) or (between and not turkmen) else "y"
    return _LETTERS.get(ch, ch)


@lru_cache(maxsize=65536)
def _latin_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold().replace("\u0307", "")
    word = word.replace("дж", "j").translate(_ONE_APOSTROPHE)
    for r in RULES:
        if r.kind == "digraph" and r.source.isascii():
            word = word.replace(r.source, r.target)
    word = "".join(_letter(ch, word, i) for i, ch in enumerate(word))
    if any(_is_cyrillic(c) for c in word):
        word = _RUSSIAN.translate(word).lower()
    out = []
    for ch in word:
        if ch in APOSTROPHES:
            continue
        out.append(ch if ch.isascii() else anyascii(ch).lower())
    return "".join(out).replace("'", "").replace("`", "")


def _to_latin(text: str) -> str:
    text = unicodedata.normalize("NFKC", (text or "").replace("´", "'"))  # NFKC would split ´ into space + accent
    return _WORD.sub(lambda m: _latin_word(_repair_word(m.group(0))), text)


# The strict folds, in order (cases/name_rules.py, kind "fold"; docs/patterns.md).
_FOLDS = (
    ("shch", "sh"), ("shh", "sh"), ("sch", "sh"),
    ("dzh", "j"), ("dj", "j"), ("zh", "j"),
    ("ch", "\x01"), ("tc", "c"), ("ts", "c"), ("\x01", "ch"),
    ("kh", "h"), ("x", "h"), ("gh", "g"), ("q", "k"), ("w", "v"),
    ("ng", "n"), ("ou", "u"),
    ("y", "i"),
)
_DOUBLES = re.compile(r"([a-z])\1+")
_IOTATED_E_AFTER_VOWEL = re.compile(r"([aeiou])ie")
_GERMAN = (
    ("z", "c"), ("tsch", "\x01"), ("dsch", "\x02"), ("sch", "\x03"), ("sh", "zh"), ("ch", "h"),
    ("\x01", "ch"), ("\x03", "sh"), ("j", "y"), ("\x02", "j"),
)
_GERMAN_S = re.compile(r"(?<=[aeiouy])s(?=[aeiouy])")
_LOOKS_GERMAN = re.compile(r"tsch|dsch|w")  # sch alone is also щ (Mosmetro, Yandex)


@lru_cache(maxsize=200_000)
def strict_key(token: str) -> str:
    """The strict matching key of one Latin token (the output of the letters stage)."""
    for a, b in _FOLDS:
        if a in token:
            token = token.replace(a, b)
    if token.startswith("ie") and len(token) > 2:
        token = "e" + token[2:]
    token = _IOTATED_E_AFTER_VOWEL.sub(r"\1e", token)
    return _DOUBLES.sub(r"\1", token)


@lru_cache(maxsize=200_000)
def loose_key(key: str) -> str:
    """The loose key of a strict key: Russified vowels (o/a, e/i), initial yo/e, a final h after a vowel."""
    if key.startswith("io") and len(key) > 3:
        key = "e" + key[2:]
    if len(key) > 3 and key.endswith("h") and key[-2] in _VOWELS:
        key = key[:-1]
    key = key.replace("o", "a").replace("e", "i")
    return _DOUBLES.sub(r"\1", key)


def _german_key(raw: str) -> str:
    for a, b in _GERMAN:
        raw = raw.replace(a, b)
    return strict_key(_GERMAN_S.sub("z", raw).replace("ss", "s"))


def name_tokens(text: str) -> list[str]:
    """The strict keys of the words of `text`, in order, without repeats."""
    seen: list[str] = []
    for raw in _TOKEN_SPLIT.split(_to_latin(text)):
        token = strict_key(raw) if raw else ""
        if token and token not in seen:
            seen.append(token)
    return seen


def normalise_name(text: str) -> str:
    """The strict key of a whole name: its words' strict keys joined by single spaces."""
    return " ".join(name_tokens(text))


# --- word forms -------------------------------------------------------------------------------------------


def _suffixes(kind: str) -> list[tuple[str, str, str]]:
    """(ending, role, rule id) of the table's suffix rows, longest ending first."""
    out = []
    for r in RULES:
        if r.kind == kind:
            for ending in r.source.split("|"):
                out.append((strict_key(ending), r.target, r.id))
    return sorted(out, key=lambda x: -len(x[0]))


_SUFFIXES = _suffixes("suffix")
_PARTICLES = {ending: (sex, rule_id) for ending, sex, rule_id in _suffixes("particle")}
_MIN_ROOT = 3


@dataclass(frozen=True)
class Part:
    """One word of a name. role: "name" (a given name, or a surname with no ending), "family", "father", "initial"."""

    role: str
    key: str  # strict key of the whole word
    root: str  # loose key of the word without its ending (the father's name of a patronymic)
    rule: str = ""  # the table row that gave the role ("ru-ov", "tg-zoda", "kg-uulu"...)
    sex: str = ""
    alt: str = ""  # loose key of a second (German-style) reading, when the word may be one
    stem: str = ""  # strict key of the word without its ending


@dataclass(frozen=True)
class NameForms:
    parts: tuple[Part, ...]
    sex: str = ""
    # No surname, but a Turkic "son/daughter of" (uulu, kyzy, -uly, o‘g‘li): the father's name stands as the surname.
    family_from_father: bool = False

    def of(self, *roles: str) -> list[Part]:
        return [p for p in self.parts if p.role in roles]


# What one Cyrillic letter becomes: an initial ("Ш.", "Ю.") may come out as two Latin letters.
_ONE_LETTER = frozenset({"sh", "ch", "iu", "ia", "io", "ts", "c"})


def _role(key: str) -> tuple[str, str, str, str, str]:
    """(role, strict stem, loose root, rule id, sex) of one strict key, by the table's endings."""
    if len(key) == 1 or key in _ONE_LETTER:
        return "initial", key, key, "", ""
    for ending, target, rule_id in _SUFFIXES:
        if key.endswith(ending) and len(key) - len(ending) >= _MIN_ROOT:
            role, _, sex = target.partition(" ")
            root = key[: -len(ending)]
            if root[-1] == "i" and root[-2] in _VOWELS:  # Жумабаев <- Жумабай
                root = root[:-1]
            return role, root, loose_key(root), rule_id, sex
    return "name", key, loose_key(key), "", ""


def _word_part(raw: str, german_looking: bool) -> Part:
    key = strict_key(raw)
    if raw.endswith(("guly", "guli", "gulu")):  # Turkmen/Uzbek -guly ends given names (Gurbanguly), not Kazakh -uly
        return Part("name", key, loose_key(key), stem=key)
    role, stem, root, rule_id, sex = _role(key)
    german = _german_key(raw) if german_looking else ""
    alt = _role(german)[2] if german and german != key else ""
    return Part(role, key, root, rule_id, sex, alt if alt != root else "", stem)


@lru_cache(maxsize=100_000)
def normalise(name: str) -> NameForms:
    """The words of a name with their roles and keys (see the module docstring)."""
    raws = [r for r in _TOKEN_SPLIT.split(_to_latin(name)) if r]
    # A German-style spelling shows in some words (sch, w, -owitsch): every word then gets a second reading.
    german_looking = any(_LOOKS_GERMAN.search(r) for r in raws) and not _has_cyrillic(name)
    parts: list[Part] = []
    for raw in raws:
        key = strict_key(raw)
        if key in _PARTICLES and parts and parts[-1].role in ("name", "family"):
            sex, rule_id = _PARTICLES[key]
            prev = parts.pop()
            parts.append(Part("father", prev.key, loose_key(prev.key), rule_id, sex, prev.alt, prev.key))
            continue
        parts.append(_word_part(raw, german_looking))
    parts = [p for i, p in enumerate(parts) if p not in parts[:i]]
    sexes = {p.sex for p in parts if p.sex}
    turkic = any(p.role == "father" and p.rule.startswith(("kg-", "kz-", "uz-")) for p in parts)
    return NameForms(
        tuple(parts),
        sex=sexes.pop() if len(sexes) == 1 else "",
        family_from_father=turkic and not any(p.role == "family" for p in parts),
    )


def tokens(name: str) -> set[str]:
    """The blind index's tokens of a name: the loose root of each word (and of its German-style reading)."""
    out: set[str] = set()
    for part in normalise(name).parts:
        if part.role == "initial":
            continue
        out.add(part.root)
        if part.alt:
            out.add(part.alt)
    return out


def compare(a, b, *, born_a=None, born_b=None):
    """Are two names (with optional birth dates) the same person? See cases.name_compare.compare."""
    from cases.name_compare import compare as _compare  # that module builds on this one

    return _compare(a, b, born_a=born_a, born_b=born_b)
