"""Simulated populations with a known size, for the tests, the bench and the worked example in docs/estimation.md.

A population of men (surname, given name, patronymic, date of birth, nationality, region) and k lists, each
catching a man with its own probability (or, for a dependent pair, a probability that depends on the other
list). Each list writes names its own way (Cyrillic or a Latin romanisation, either order, capitals) and with
noise (a letter changed, a date missing or with day and month swapped), so that linking is part of the test.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from patterns.estimation.sources import Entry, Source
from patterns.matching import Record

GIVEN = (
    "Абдулла Абдурахмон Адилет Азамат Азиз Айбек Акбар Акмал Алибек Алишер Алмаз Анвар Арслан Аскар Асылбек Ахмад "
    "Ахрор Ашраф Бабур Бакыт Батыр Бахтиёр Бахром Бекзод Бекжан Болот Бobur Давлат Данияр Дастан Дилшод Достон Ербол "
    "Ерлан Ержан Жамшид Жасур Жахонгир Жумабай Зафар Зиёвуддин Ибрагим Ильхом Иномжон Исломжон Кадыр Камол Канат "
    "Карим Кайрат Комил Кубанычбек Курбон Лазиз Мадамин Максат Мансур Марат Мирзо Мирлан Мухаммад Мурод Мухтор Нодир "
    "Нурбек Нурлан Нуриддин Одил Олим Отабек Парвиз Пулат Равшан Рамазан Рашид Ринат Рустам Сабыр Саид Самат Санжар "
    "Сардор Сафар Сухроб Султон Таалай Тахир Темур Тилек Толиб Тохир Улан Улугбек Умид Уктам Фаррух Фарход Фируз "
    "Хайрулло Хамид Хасан Хусейн Хуршид Чингиз Чыңгыз Шавкат Шамиль Шерзод Шухрат Эльдор Элмурод Эркин Юсуф Якуб "
    "Ёдгор Ғайрат Жаннат Бауыржан Дархан Едиге Жандос Мейрам Нурсултан Серик Талгат Тимур Эмиль Азат Бактыбек "
    "Жыргалбек Кылычбек Мелис Нурлыбек Самандар Суйунбек Тынчтык Урмат Эмир Фазлиддин Хабиб Шахзод Джахонгир Озод"
).replace("Бobur", "Бобур").split()
# Central Asian surnames are mostly a forefather's name with a Russian ending (or -zoda in Tajikistan).
SURNAMES = [g + ("ев" if g[-1] in "йжшщчцьъ" else ("ов" if g[-1] not in "аеиоуыэюя" else "ев")) for g in GIVEN]
NATIONALITIES = ("UZ", "TJ", "KG", "KZ")
REGIONS = ("Андижан", "Фергана", "Самарканд", "Худжанд", "Ош", "Джалал-Абад", "Шымкент", "Туркестан", "Бохтар", "Наманган")
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split()))


@dataclass(frozen=True)
class Man:
    surname: str
    given: str
    father: str
    birth: datetime.date
    nationality: str
    region: str


def population(size: int, rng: random.Random) -> list[Man]:
    """`size` distinct men: no two share surname, given name and date of birth."""
    seen, men = set(), []
    while len(men) < size:
        man = Man(rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(GIVEN),
                  datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 34)),
                  rng.choice(NATIONALITIES), rng.choice(REGIONS))
        if (man.surname, man.given, man.birth) not in seen:
            seen.add((man.surname, man.given, man.birth))
            men.append(man)
    return men


def _latin(word: str) -> str:
    out = "".join(_LATIN.get(c, c) for c in word.lower()).replace("_", "")
    return out.capitalize()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + rng.choice("аеиоуыкнр" if word[0] >= "А" else "aeioukrn") + word[i + 1:]


def write(man: Man, style: str, rng: random.Random, *, noise: float) -> tuple[str, datetime.date | None]:
    surname, given = man.surname, man.given
    if style == "latin":
        surname, given = _latin(surname), _latin(given)
    if rng.random() < noise:
        surname = _typo(surname, rng)
    if style == "latin":
        name = f"{given} {surname}"
    else:  # Russian lists print the patronymic
        father = man.father + ("ович" if man.father[-1] not in "аеиоуыэюяй" else "евич")
        name = f"{surname} {given} {father}"
    if style == "caps":
        name = name.upper()
    birth = man.birth
    roll = rng.random()
    if roll < noise:
        birth = None
    elif roll < 1.3 * noise and man.birth.day <= 12:
        birth = datetime.date(man.birth.year, man.birth.day, man.birth.month)
    return name, birth


def capture(men: list[Man], probabilities: list[float], rng: random.Random, *, dependent: tuple[int, int, float] | None = None) -> list[list[int]]:
    """Who is on each list (indices into men). `dependent=(a, b, p)`: on list b with p if on a, else its own p."""
    lists: list[list[int]] = [[] for _ in probabilities]
    for n in range(len(men)):
        caught = []
        for i, p in enumerate(probabilities):
            if dependent and i == dependent[1]:
                p = dependent[2] if caught[dependent[0]] else p
            caught.append(rng.random() < p)
        for i, c in enumerate(caught):
            if c:
                lists[i].append(n)
    return lists


def sources(men: list[Man], lists: list[list[int]], rng: random.Random, *, noise: float = 0.05) -> list[Source]:
    styles = ("cyrillic", "latin", "caps", "latin", "cyrillic", "caps")
    out = []
    for i, members in enumerate(lists):
        entries = []
        for n in members:
            man = men[n]
            name, birth = write(man, styles[i % len(styles)], rng, noise=noise)
            strata = {"nationality": man.nationality, "region": man.region, "period": str(2022 + n % 3)}
            entries.append(Entry(Record(f"L{i + 1}-{n}", [name], birth_date=birth, region=""), strata))
        rng.shuffle(entries)
        out.append(Source(f"L{i + 1}", entries))
    return out
