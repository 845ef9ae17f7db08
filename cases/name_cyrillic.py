"""Latin names back to Russian Cyrillic, best effort (for display and for searching a Cyrillic-only source).

It cannot restore letters the Latin form lost (ы/и, е/э, қ/к). Used through cases.names.to_cyrillic.
"""

import re
import unicodedata

from cases.name_rules import APOSTROPHES as _APOSTROPHES

_VOWELS = "aeiou"
# Letters of the Turkic Latin alphabets, read before the Latin-to-Cyrillic table.
_LATIN = {"ş": "sh", "ș": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ñ": "ng", "ǵ": "g", "ǰ": "j", "ə": "a"}

# Latin back to (Russian) Cyrillic, longest match first. Best effort, for display and for searching a
# Cyrillic-only source with a Latin spelling; it cannot restore letters the Latin form lost (ы/и, е/э).
_TO_CYR = [
    ("shch", "щ"), ("dzh", "дж"), ("dj", "дж"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("yu", "ю"), ("iu", "ю"), ("ya", "я"), ("ia", "я"), ("yo", "ё"), ("ye", "е"), ("gh", "г"),
    ("o'", "ў"), ("g'", "ғ"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("q", "к"), ("x", "х"),
    ("w", "в"), ("y", "ы"),
]


def _word_to_cyrillic(word: str) -> str:
    lower = word.lower()
    out = []
    i = 0
    while i < len(lower):
        for latin, cyr in _TO_CYR:
            if lower.startswith(latin, i):
                prev = lower[i - 1] if i else ""
                at_end = i + len(latin) == len(lower)
                if latin == "e" and i == 0:
                    cyr = "э"
                elif latin in ("ia", "iu") and prev and prev not in _VOWELS:
                    cyr = "и" + cyr  # Maria = Мария, not Маря
                elif latin == "y" and prev and prev in _VOWELS + "y":
                    cyr = "й"
                elif latin == "y" and prev and at_end:
                    cyr = "ий"  # Evgeny = Евгений
                elif latin == "i" and prev in _VOWELS and prev and at_end:
                    cyr = "й"
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    result = "".join(out)
    if word[:1].isupper():
        result = result[:1].upper() + result[1:]
    return result


def to_cyrillic(text: str) -> str:
    """A best-effort Russian Cyrillic spelling of a Latin name; Cyrillic input comes back unchanged."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(_LATIN.get(ch, _LATIN.get(ch.lower(), ch).capitalize() if ch.isupper() else ch) for ch in text)
    text = re.sub("[" + _APOSTROPHES + "]", "'", text)
    return re.sub(r"[A-Za-z']+", lambda m: _word_to_cyrillic(m.group(0)), text)
