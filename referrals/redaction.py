"""Redaction of names in a dossier: full identity, initials or a pseudonym.

A name is not only where the name field is: an event's description or a source's
title may say "Rustam's sister called". So every free text that goes into a dossier
runs through one Redactor, which knows every name of the person and of the family
and replaces, word by word, any word that is one of their names in any grammatical
form, spelling or script:

* every word of every name is declined by petrovich (pytrovich: given name, surname and
  patronymic rules, both sexes, all six cases), from its Cyrillic form or from the
  Russian spelling `cases.names.to_cyrillic` gives a Latin one ("Nodira" -> "Нодира" ->
  "Нодиры", "Нодире", "Нодиру", "Нодирой");
* each form is written in Latin by the common romanisations (iuliia: ICAO, BGN/PCGN,
  GOST 7.79, Wikipedia, ...) and with е for ё, and all of them are compared by
  `cases.names.normalise_name`, which folds Cyrillic and Latin spellings to one key
  ("Нодирой", "Nodiroi", "Nodiroy" and "Nodiroj" are one);
* a word that starts with a name's key and adds at most three letters is also taken,
  for endings petrovich does not produce (possessives, a misspelt case ending).

`Redactor.leaks` finds any known form left in a text: the build refuses a dossier in
which one remains (referrals.build).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from cases.names import normalise_name, to_cyrillic

from referrals.models import Redaction

_WORD = re.compile(r"[^\W\d_]+(?:['’ʻʼ][^\W\d_]+)*", re.UNICODE)
# Longest inflectional ending we fold onto a name: Russian "-ова", "-ому", "-ыми".
_MAX_ENDING = 3
_MIN_TOKEN = 3


def initials(name: str) -> str:
    """'Rustam Nysanbaev' -> 'R. N.'"""
    return " ".join(f"{w[0].upper()}." for w in _WORD.findall(name or ""))


def _key(word: str) -> str:
    return normalise_name(word).replace(" ", "")


@lru_cache(maxsize=1)
def _declension():
    from pytrovich.enums import Case, Gender, NamePart
    from pytrovich.maker import PetrovichDeclinationMaker

    return PetrovichDeclinationMaker(), list(Case), (Gender.MALE, Gender.FEMALE), list(NamePart)


@lru_cache(maxsize=1)
def _romanisations():
    import iuliia

    return [getattr(iuliia, name) for name in ("ICAO_DOC_9303", "BGN_PCGN", "GOST_779", "WIKIPEDIA", "MVD_782", "SCIENTIFIC", "UZ")]


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """Every spelling of every grammatical form of one name word, Cyrillic and Latin, with ё and with е."""
    cyrillic = word if re.search("[\u0400-\u04ff]", word) else to_cyrillic(word)
    maker, cases, genders, parts = _declension()
    forms = {word, cyrillic}
    for part in parts:
        for gender in genders:
            for case in cases:
                try:
                    forms.add(maker.make(part, gender, case, cyrillic))
                except Exception:  # noqa: BLE001 - a word petrovich cannot decline keeps its other forms
                    continue
    forms |= {f.replace("ё", "е").replace("Ё", "Е") for f in forms}
    for schema in _romanisations():
        forms |= {schema.translate(f) for f in list(forms) if re.search("[\u0400-\u04ff]", f)}
    return frozenset(forms)


def _keys(text: str) -> set[str]:
    keys = set()
    for word in _WORD.findall(text or ""):
        for form in word_forms(word):
            key = _key(form)
            if len(key) >= _MIN_TOKEN:
                keys.add(key)
    return keys


@dataclass
class _Identity:
    keys: set[str]
    level: str
    replacement: str


@dataclass
class Redactor:
    """Replaces the names of everyone it was told about, each at their own redaction level."""

    identities: list[_Identity] = field(default_factory=list)

    def add(self, *, names: list[str], level: str, pseudonym: str) -> str:
        """Register a person under `level`; returns how they are to be shown."""
        names = [n for n in names if n]
        full = names[0] if names else ""
        if level == Redaction.FULL:
            shown = " / ".join(dict.fromkeys(names)) or pseudonym
        elif level == Redaction.INITIALS:
            shown = initials(full) or pseudonym
        else:
            shown = pseudonym
        keys = set()
        for name in names:
            # Aliases come as one comma-separated text; each word is a token either way.
            keys |= _keys(name)
        self.identities.append(_Identity(keys=keys, level=level, replacement=shown))
        return shown

    def _match(self, word: str) -> _Identity | None:
        key = _key(word)
        if len(key) < _MIN_TOKEN:
            return None
        for ident in self.identities:
            if ident.level == Redaction.FULL:
                continue
            for token in ident.keys:
                if key == token or (key.startswith(token) and len(key) - len(token) <= _MAX_ENDING):
                    return ident
        return None

    def text(self, value: str) -> str:
        """The text with every known name replaced; a run of one person's name words becomes one replacement."""
        if not value:
            return ""
        out, pos, last_ident, last_end = [], 0, None, -1
        for word_match in _WORD.finditer(value):
            ident = self._match(word_match.group())
            if ident is None:
                continue
            gap = value[pos : word_match.start()]
            if last_ident is ident and last_end == pos and not gap.strip():
                # "Rustam Nysanbaev" is one person, not two replacements.
                pos = word_match.end()
                last_end = pos
                continue
            out.append(gap)
            if ident.level == Redaction.INITIALS:
                out.append(f"{word_match.group()[0].upper()}.")
                last_ident = None
            else:
                out.append(ident.replacement)
                last_ident = ident
            pos = word_match.end()
            last_end = pos
        out.append(value[pos:])
        return "".join(out)

    def leaks(self, value) -> list[str]:
        """The words in `value` (a text, or lists and dicts of texts) that are a form of a redacted name."""
        if isinstance(value, dict):
            return [w for v in value.values() for w in self.leaks(v)]
        if isinstance(value, (list, tuple)):
            return [w for v in value for w in self.leaks(v)]
        if not isinstance(value, str):
            return []
        shown = set().union(*(i.keys for i in self.identities if i.level == Redaction.FULL))  # names meant to be shown
        return [m.group() for m in _WORD.finditer(value) if self._match(m.group()) is not None and _key(m.group()) not in shown]
