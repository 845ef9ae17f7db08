"""Redaction of names in a dossier: full identity, initials or a pseudonym.

A name is not only where the name field is: an event's description or a source's
title may say "Rustam's sister called". So every free text that goes into a dossier
runs through one Redactor, which knows every name of the person and of the family
and replaces any word that is one of their name tokens in any spelling or script
(cases.names folds Cyrillic and Latin spellings to one form), including Russian case
endings ("Нысанбаева", "Рустаму").
"""

import re
from dataclasses import dataclass, field

from cases.names import normalise_name

from referrals.models import Redaction

_WORD = re.compile(r"[^\W\d_]+(?:['’ʻʼ][^\W\d_]+)*", re.UNICODE)
# Longest inflectional ending we fold onto a name: Russian "-ова", "-ому", "-ыми".
_MAX_ENDING = 3
_MIN_TOKEN = 3


def initials(name: str) -> str:
    """'Rustam Nysanbaev' -> 'R. N.'"""
    return " ".join(f"{w[0].upper()}." for w in _WORD.findall(name or ""))


def _keys(text: str) -> set[str]:
    keys = set()
    for word in _WORD.findall(text or ""):
        key = normalise_name(word).replace(" ", "")
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
        key = normalise_name(word).replace(" ", "")
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
        for m in _WORD.finditer(value):
            ident = self._match(m.group())
            if ident is None:
                continue
            gap = value[pos : m.start()]
            if last_ident is ident and last_end == pos and not gap.strip():
                # "Rustam Nysanbaev" is one person, not two replacements.
                pos = m.end()
                last_end = pos
                continue
            out.append(gap)
            if ident.level == Redaction.INITIALS:
                out.append(f"{m.group()[0].upper()}.")
                last_ident = None
            else:
                out.append(ident.replacement)
                last_ident = ident
            pos = m.end()
            last_end = pos
        out.append(value[pos:])
        return "".join(out)
