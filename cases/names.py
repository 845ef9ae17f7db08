"""The project's one name normaliser (issues 6 and 9; rules in docs/patterns.md, "Name normalisation").

A person's name reaches Dalil in Cyrillic (Russian, Kazakh, Kyrgyz, Uzbek or Tajik letters), in an
official Latin transliteration, in a passport's ICAO form or in a family's own spelling. Both the blind
index (cases/blind_index) and the list matcher (patterns/) key on `normalise_name`, so that they agree on
what counts as the same name: Нысанбаев, Nysanbaev, Nysanbayev and Nisanbaev all become ``nisanbaev``.

The result is a matching key, not a spelling to show anyone: it folds letters that different
romanisations disagree on (y/i, kh/h/x, zh/j/dzh, q/k, gh/g, doubled letters...). Surnames keep their
-ov/-ev/-ova endings, which carry meaning (and sex).
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

__all__ = ["normalise_name", "name_tokens", "to_cyrillic"]

# Letters whose Central Asian reading differs from anyascii's generic one, or that anyascii would drop.
# Applied after NFKC and case folding, before anyascii handles everything else (other scripts too).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh / Kyrgyz
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Tajik
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ҕ": "gh", "ҙ": "z",
    # Uzbek: ў is written oʻ in Uzbek Latin, so it reads as o.
    "ў": "o",
}
# Latin letters of the Kazakh/Turkish/Uzbek Latin alphabets that anyascii would flatten wrongly
# (ş is sh, not s; ç is ch, not c).
_LATIN = {"ş": "sh", "ș": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ñ": "ng", "ǵ": "g", "ǰ": "j", "ə": "a"}
# Apostrophe-like marks: Uzbek oʻ/gʻ, the Russian hard sign in transliteration, and so on.
_APOSTROPHES = "'`´ʻʼʹʾʿ’‘ꞌ\""

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_VOWELS = "aeiou"


def _to_latin(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    # дж is one sound (j) in Central Asian names: Джамшед = Jamshed.
    text = text.replace("дж", "j")
    out = []
    for ch in text:
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        elif ch in _APOSTROPHES:
            continue
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(anyascii(ch).lower())
    # anyascii may itself produce apostrophes (for ъ/ь of other alphabets).
    return "".join(out).replace("'", "").replace("`", "")


_FOLDS = (
    ("shch", "sh"), ("sch", "sh"),
    ("dzh", "j"), ("dj", "j"), ("zh", "j"),
    ("kh", "h"), ("gh", "g"), ("x", "h"), ("q", "k"), ("w", "v"),
    ("ng", "n"),
    ("y", "i"),
)
_DOUBLES = re.compile(r"([a-z])\1+")
# "ye" after a vowel or at the start is how BGN/ICAO write е there (Nysanbayev, Yerlan); others write e.
_IOTATED_E_AFTER_VOWEL = re.compile(r"([aeiou])ie")


@lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    for a, b in _FOLDS:
        if a in token:
            token = token.replace(a, b)
    if token.startswith("ie") and len(token) > 2:
        token = "e" + token[2:]
    token = _IOTATED_E_AFTER_VOWEL.sub(r"\1e", token)
    token = _DOUBLES.sub(r"\1", token)
    return token


def name_tokens(text: str) -> list[str]:
    """The normalised whole-name tokens of `text`, in order, without repeats."""
    seen: list[str] = []
    for raw in _TOKEN_SPLIT.split(_to_latin(text)):
        if not raw:
            continue
        token = _fold_token(raw)
        if token and token not in seen:
            seen.append(token)
    return seen


def normalise_name(text: str) -> str:
    """One Latin matching form of a name in any of the supported scripts: tokens joined by single spaces."""
    return " ".join(name_tokens(text))


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
