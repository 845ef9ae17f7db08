"""The labelled phenomena of bench/matching.py: how one person of Dalil appears on a list (positives), and the
people who are not the same (negatives). Each function takes (rng, person) and returns (names, birth date text)."""

from __future__ import annotations

import datetime
import random

from name_corpus import (
    CASUAL, GERMAN, KZ_2018, KZ_2021, SCHEMAS, TURKMEN, patronymic, russify, russify_vowels, surname, table_translit,
    uzbek_latin,
)


def dmy(d: datetime.date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def words(p: dict, rng: random.Random, *, native=False, patr=None) -> list[str]:
    """Surname, given name and (half the time) patronymic, as a Russian list prints them (or in native letters)."""
    conv = (lambda w: w) if native else russify
    out = [conv(surname(p["root"], p["sex"])), conv(p["given"])]
    if patr if patr is not None else rng.random() < 0.5:
        out.append(conv(patronymic(p["father"], p["sex"])))
    return out


def base(rng, p):
    return [" ".join(words(p, rng))], dmy(p["born"])


def _schema(schema):
    return lambda rng, p: ([" ".join(schema.translate(w) for w in words(p, rng))], dmy(p["born"]))


def _table(table, native=False):
    return lambda rng, p: ([" ".join(table_translit(w, table) for w in words(p, rng, native=native))], dmy(p["born"]))


def native_letters(rng, p):
    return [" ".join(words(p, rng, native=True))], dmy(p["born"])


def uzbek(rng, p):
    return [" ".join(uzbek_latin(w, rng) for w in words(p, rng, native=True))], dmy(p["born"])


def zoda(rng, p):
    root = russify(p["root"]) if rng.random() < 0.5 else table_translit(russify(p["root"]), CASUAL)
    suffix = "зода" if root[0] >= "А" else rng.choice(["zoda", "zade"])
    return [f"{root}{suffix} {russify(p['given'])}"], dmy(p["born"])


def bare_root(rng, p):
    return [f"{russify(p['given'])} {russify(p['root'])}"], dmy(p["born"])


def kazakh_uly(rng, p):
    son = p["sex"] == "m"
    if rng.random() < 0.5:
        return [f"{p['given']} {p['father']}{'ұлы' if son else 'қызы'}"], dmy(p["born"])
    return [f"{table_translit(p['given'], KZ_2021)} {table_translit(p['father'], KZ_2021)}{'uly' if son else 'qyzy'}"], dmy(p["born"])


def kyrgyz_split(rng, p):
    word = "uulu" if p["sex"] == "m" else "kyzy"
    latin = [iuliia_free(w) for w in (russify(p["given"]), russify(p["father"]))]
    return [f"{latin[0]} {latin[1]} {word}"], dmy(p["born"])


def kyrgyz_joined(rng, p):
    word = "уулу" if p["sex"] == "m" else "кызы"
    return [f"{russify(p['father'])}{word} {russify(p['given'])}"], dmy(p["born"])


def iuliia_free(word: str) -> str:
    return table_translit(word, CASUAL)


def uzbek_ogli(rng, p):
    particle = "oʻgʻli" if p["sex"] == "m" else "qizi"
    w = [uzbek_latin(x, rng) for x in (surname(p["root"], p["sex"]), p["given"], p["father"])]
    return [f"{w[0]} {w[1]} {w[2]} {particle}"], dmy(p["born"])


def vowels(rng, p):
    """Russian vowels in the native roots; the Russian endings (-ов, -ович) stay as Russian writes them."""
    q = {**p, **{k: russify_vowels(russify(p[k]), rng) for k in ("root", "given", "father")}}
    return [" ".join(words(q, rng))], dmy(p["born"])


def yo_as_e(rng, p):
    return [" ".join(w.replace("ё", "е").replace("Ё", "Е") for w in words(p, rng, native=True))], dmy(p["born"])


def double_surname(rng, p):
    w = words(p, rng, patr=False)
    other = surname(rng.choice(["Ибрагим", "Сапар", "Ахмед", "Назар"]), p["sex"])
    return [f"{w[0]}-{other} {w[1]}"], dmy(p["born"])


def patronymic_style(rng, p):
    son = p["sex"] == "m"
    style = {"kz": ("ұлы", "қызы"), "kg": (" уулу", " кызы"), "uz": (" ўғли", " қизи"), "tj": ("зода", "зода")}[p["nat"]]
    return [f"{russify(surname(p['root'], p['sex']))} {p['given']} {p['father']}{style[0 if son else 1]}"], dmy(p["born"])


def all_caps(rng, p):
    return [" ".join(words(p, rng)).upper()], dmy(p["born"])


def word_order(rng, p):
    w = words(p, rng)
    return [" ".join([w[1], w[0]] + w[2:])], dmy(p["born"])


def initials(rng, p):
    w = words(p, rng, patr=True)
    return [f"{w[0]} {w[1][0]}. {w[2][0]}." if rng.random() < 0.5 else f"{w[0]} {w[1][0]}."], dmy(p["born"])


LOOKALIKE = str.maketrans("аеорсхАВЕКМНОРСТХ", "aeopcxABEKMHOPCTX")


def lookalikes(rng, p):
    return [" ".join(w.translate(LOOKALIKE) if rng.random() < 0.6 else w for w in words(p, rng))], dmy(p["born"])


def typo(rng, word: str, n: int = 1) -> str:
    for _ in range(n):
        if len(word) < 5:
            return word
        i = rng.randrange(1, len(word) - 1)
        kind = rng.random()
        if kind < 0.3:
            word = word[:i] + word[i] + word[i:]
        elif kind < 0.55:
            word = word[:i] + word[i + 1:]
        elif kind < 0.8:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            word = word[:i] + rng.choice("аоеиунрстлк") + word[i + 1:]
    return word


def typos(rng, p):
    w = words(p, rng)
    j = rng.randrange(len(w))
    w[j] = typo(rng, w[j], 1 if rng.random() < 0.6 else 2)
    return [" ".join(w)], dmy(p["born"])


DIGITS = {"о": "0", "з": "3", "б": "6", "ч": "4", "О": "0", "З": "3", "Б": "6", "Ч": "4"}


def digits(rng, p):
    w = words(p, rng)
    j = rng.randrange(len(w))
    inner = [i for i in range(1, len(w[j]) - 1) if w[j][i] in DIGITS]
    if inner:
        i = rng.choice(inner)
        w[j] = w[j][:i] + DIGITS[w[j][i]] + w[j][i + 1:]
    return [" ".join(w)], dmy(p["born"])


def _dated(fn):
    return lambda rng, p: ([" ".join(words(p, rng))], fn(rng, p["born"]))


def one_digit_off(rng, d):
    text = dmy(d)
    for _ in range(20):
        i = rng.choice([0, 1, 3, 4, 8, 9])
        cand = text[:i] + str((int(text[i]) + rng.choice([1, 9])) % 10) + text[i + 1:]
        try:
            datetime.datetime.strptime(cand, "%d.%m.%Y")
            return cand
        except ValueError:
            continue
    return text


POSITIVE = {
    "Russian list, Cyrillic": base,
    **{name: _schema(s) for name, s in SCHEMAS.items()},
    "Uzbek Latin, any apostrophe": uzbek,
    "Kazakh Latin 2018": _table(KZ_2018, native=True),
    "Kazakh Latin 2021": _table(KZ_2021, native=True),
    "native Cyrillic letters (ә ғ қ ң ө ұ ү ҳ ҷ ӣ ӯ ў)": native_letters,
    "Turkmen Latin": _table(TURKMEN),
    "German-style spelling": _table(GERMAN),
    "casual family spelling": _table(CASUAL),
    "Tajik -zoda/-zade": zoda,
    "bare root surname": bare_root,
    "Kazakh -uly/-kyzy": kazakh_uly,
    "Kyrgyz uulu/kyzy, split": kyrgyz_split,
    "Kyrgyz uulu/kyzy, joined": kyrgyz_joined,
    "Uzbek o‘g‘li/qizi": uzbek_ogli,
    "Russified vowels а/о, и/е": vowels,
    "Russian г/х for Uzbek gʻ/x": base,
    "ё written е": yo_as_e,
    "hyphenated double surname": double_surname,
    "patronymic in a native style": patronymic_style,
    "ALL CAPS": all_caps,
    "given name first": word_order,
    "initials": initials,
    "Latin look-alikes in Cyrillic": lookalikes,
    "1-2 letter typos / OCR slips": typos,
    "digits for letters": digits,
    "date YYYY-MM-DD": _dated(lambda rng, d: d.isoformat()),
    "date: year only": _dated(lambda rng, d: str(d.year)),
    "date: 01.01.YYYY placeholder": _dated(lambda rng, d: f"01.01.{d.year}"),
    "date: day and month swapped": _dated(lambda rng, d: f"{d.month:02d}.{d.day:02d}.{d.year}"),
    "date: one digit off": _dated(one_digit_off),
    "date missing": _dated(lambda rng, d: None),
}


# Who each phenomenon applies to (default: anyone).
HAS_YO = ("ё", "Ё")
WHO = {
    "date missing": lambda p: p["unique"],  # "when unambiguous": no other person of Dalil has this surname and name
    "Uzbek Latin, any apostrophe": lambda p: p["nat"] == "uz",
    "Kazakh Latin 2018": lambda p: p["nat"] == "kz",
    "Kazakh Latin 2021": lambda p: p["nat"] == "kz",
    "Kazakh -uly/-kyzy": lambda p: p["nat"] == "kz",
    "Kyrgyz uulu/kyzy, split": lambda p: p["nat"] == "kg" and p["root"] == p["father"],
    "Kyrgyz uulu/kyzy, joined": lambda p: p["nat"] == "kg" and p["root"] == p["father"],
    "Uzbek o‘g‘li/qizi": lambda p: p["nat"] == "uz",
    "Tajik -zoda/-zade": lambda p: p["nat"] in ("tj", "uz"),
    "Russified vowels а/о, и/е": lambda p: p["nat"] in ("uz", "tj"),
    "Russian г/х for Uzbek gʻ/x": lambda p: p["latin_only"] and any(c in p["given"] + p["root"] for c in "ғҳхҒҲХ"),
    "ё written е": lambda p: any(c in p["given"] + p["root"] + p["father"] for c in HAS_YO),
    "native Cyrillic letters (ә ғ қ ң ө ұ ү ҳ ҷ ӣ ӯ ў)": lambda p: russify(p["given"] + p["root"]) != p["given"] + p["root"],
}
