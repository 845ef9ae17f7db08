"""Matching benchmark: 10,000 published-list entries against 100,000 people, on one core.

    .venv/bin/python bench/matching.py [--people 100000] [--entries 10000] [--seed 9]

Builds a labelled set: people with Cyrillic names (Russian, Kazakh, Kyrgyz, Uzbek, Tajik letters, with
patronymics) and a list whose entries are either one of those people spelt as a list would spell them
(another romanisation scheme, Cyrillic, word order, patronymic dropped, a typo, date of birth sometimes
missing) or someone else (a different person drawn from the same name pools, so namesakes occur).
Prints the time, the pairs compared, and precision and recall of the top candidate at the on-screen
cut-off (targets: under 60 s, both >= 0.95). Needs no database.
"""

import argparse
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from patterns.matching import DEFAULT_MIN_SCORE, Index, Record  # noqa: E402

FIRST = (
    "Рустам Ержан Джамшед Шухрат Алишер Бахтияр Фаррух Жасур Улугбек Тимур Азамат Нурлан Бауыржан Дастан Айбек "
    "Мирлан Эрлан Санжар Бекзат Жандос Ғалымжан Қайрат Ілияс Өмірбек Нұрсұлтан Ұлан Асқар Дәурен Мұхтар Серік "
    "Рахимҷон Фируз Шерали Далер Баходур Умед Парвиз Искандар Сорбон Ҳусейн Комрон Сухроб Манучехр Зафар Ойбек "
    "Ўткир Ғайрат Шавкат Отабек Дилшод Сардор Жахонгир Анвар Ботир Нодир Равшан Хуршид Акмал Ислом Юсуф Якуб "
    "Абдулла Абдурахмон Мухаммад Ибрагим Исмаил Юнус Эркин Марат Руслан Артур Алексей Сергей Евгений Максим "
    "Данияр Арман Болат Ерлан Талгат Кайрат Медет Нуржан Темирлан Чингиз Айдар Максат Бакыт Кубанычбек Алмаз "
    "Эмиль Уланбек Нурбек Төлөгөн Сүйүнбай Жээнбек Мелис Адилет Бекжан Ильяс Камол Фарход Хасан Хусан Шахзод"
).split()
ROOTS = (
    "Нысанба Хасан Рахим Каримжан Юсуп Ахмед Абдуллa Тураб Исмаил Султан Нурмагамбет Сейтказ Жумабай Кенжебек "
    "Бекмурат Токтогул Асанбек Мамыт Осмон Турсун Эргеш Абдыкадыр Сыдык Жээнбек Алымкул Шамши Бакир Толеген "
    "Мирзо Шарип Сафар Назар Давлат Рахмон Саид Ёдгор Холмат Ашур Бобо Каххор Мухиддин Нуриддин Зайниддин "
    "Қасым Ғаффор Ұзақ Өтеген Әбдіқадыр Ахмадж Мамадали Умар Усман Хамид Юлдаш Эшмат Тошмат Курбан Рузи "
    "Файзулл Хайрулл Нигмат Латып Мусаб Адыл Азиз Баты Гани Джура Дусмат Иргаш Камал Латиф Махмуд Насрулл "
    "Олим Пулат Раджаб Садык Тагай Уктам Фаттах Хабиб Чари Шукур Эгам Юлдуз Ягуд Айтмамат Бейшен Дуйшен Жолдош "
    "Жусуп Кадыр Кочкор Маматкадыр Нурмат Орозбек Сагынбай Таалайбек Усенбай Чолпонбай Шаршен Ысмайыл Абай "
    "Байтурсын Досмухамед Ермек Жанузак Искак Калиакпар Мырзахмет Оспан Сарсен Тастан Утеш Шайхислам Ыбырай"
).split()
SECOND = ["", "", "", "бек", "али", "жан", "кул", "мат", "бай", "назар", "берди", "мурод", "улла", "хон", "тай"]


def surname(rng: random.Random) -> str:
    stem = rng.choice(ROOTS).replace("a", "а") + rng.choice(SECOND)
    # -ev after soft consonants and й, as Russian spelling has it; -ov otherwise.
    return stem[:-1] + "ев" if stem.endswith("й") else stem + ("ев" if stem[-1] in "жшчщцьи" else "ов")

# Romanisation schemes a published list (or a passport) might use for the same Cyrillic name.
_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ь": "", "э": "e", "ә": "a", "ө": "o", "ұ": "u", "ү": "u", "і": "i", "ӣ": "i", "ӯ": "u", "ң": "n",
}
SCHEMES = {
    "icao": {**_BASE, "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ы": "y", "ю": "iu", "я": "ia",
             "қ": "k", "ғ": "g", "ҳ": "kh", "ҷ": "dzh", "ў": "u", "һ": "kh"},
    "bgn": {**_BASE, "е": "ye", "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ы": "y", "ю": "yu", "я": "ya",
            "қ": "q", "ғ": "gh", "ҳ": "h", "ҷ": "j", "ў": "o'", "һ": "h"},
    "uzbek": {**_BASE, "е": "e", "ё": "yo", "ж": "j", "й": "y", "х": "x", "ц": "s", "ы": "i", "ю": "yu", "я": "ya",
              "қ": "q", "ғ": "g'", "ҳ": "h", "ҷ": "j", "ў": "o'", "һ": "h"},
    "casual": {**_BASE, "е": "e", "ё": "e", "ж": "j", "й": "i", "х": "h", "ц": "ts", "ы": "i", "ю": "yu", "я": "ya",
               "қ": "k", "ғ": "g", "ҳ": "h", "ҷ": "dj", "ў": "u", "һ": "h"},
}
REGIONS = "Khatlon Sughd Osh Jalal-Abad Batken Naryn Chui Issyk-Kul Talas Almaty Shymkent Turkestan Zhambyl Kyzylorda Samarkand Bukhara Fergana Andijan Namangan Kashkadarya Surkhandarya Khorezm Tashkent".split()


def romanise(cyr: str, scheme: str) -> str:
    table = SCHEMES[scheme]
    out = []
    for i, ch in enumerate(cyr):
        low = ch.lower()
        latin = table.get(low, low)
        # BGN writes е as ye only at the start and after a vowel.
        if scheme == "bgn" and low == "е" and i > 0 and cyr[i - 1].lower() not in "аеёиоуыэюяәөұүі":
            latin = "e"
        out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(2, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i] + word[i:]  # doubled letter
    if kind < 0.7:
        return word[:i] + word[i + 1:]  # dropped letter
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swapped letters


def make_person(rng: random.Random, pid) -> dict:
    first = rng.choice(FIRST)
    father = rng.choice(FIRST)
    patronymic = father + ("ович" if father[-1] not in "аеиоуыэюяй" else "евич")
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 35))
    return {"id": pid, "cyr": f"{surname(rng)} {first} {patronymic}", "birth": birth, "region": rng.choice(REGIONS)}


def list_spelling(rng: random.Random, person: dict) -> str:
    surname, first, patronymic = person["cyr"].split()
    r = rng.random()
    if r < 0.15:
        words = [surname, first, patronymic]  # Cyrillic, as a Russian list prints it
    else:
        scheme = rng.choice(list(SCHEMES))
        words = [romanise(w, scheme) for w in (surname, first, patronymic)]
    if rng.random() < 0.5:
        words = words[:2]  # no patronymic
    if rng.random() < 0.3:
        words[0], words[1] = words[1], words[0]  # first name first
    if rng.random() < 0.2:
        j = rng.randrange(len(words))
        words[j] = typo(rng, words[j])
    if rng.random() < 0.2:
        return " ".join(words).upper()
    return " ".join(words)


def build(n_people: int, n_entries: int, seed: int):
    rng = random.Random(seed)
    people = [make_person(rng, f"p{i}") for i in range(n_people)]
    entries, truth = [], {}
    for k in range(n_entries):
        eid = f"e{k}"
        if k % 2 == 0:
            person = rng.choice(people)
            truth[eid] = person["id"]
        else:
            person = make_person(rng, None)  # someone not in Dalil; may share a name with someone who is
        entries.append(
            Record(
                eid,
                [list_spelling(rng, person)],
                birth_date=person["birth"] if rng.random() < 0.95 else None,
                region=person["region"] if rng.random() < 0.5 else "",
            )
        )
    # People carry both scripts, as in Dalil (name_cyrillic and name_latin).
    records = [Record(p["id"], [p["cyr"], romanise(p["cyr"], "icao")], birth_date=p["birth"], region=p["region"]) for p in people]
    return records, entries, truth


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE)
    args = parser.parse_args()

    t0 = time.perf_counter()
    people, entries, truth = build(args.people, args.entries, args.seed)
    t_build = time.perf_counter() - t0

    t1 = time.perf_counter()
    index = Index(people)
    t_index = time.perf_counter() - t1
    pairs = 0
    top = {}
    all_pairs = 0
    all_correct = 0
    for entry in entries:
        found, compared = index.match(entry, min_score=args.min_score)
        pairs += compared
        if found:
            top[entry.id] = found[0].b
            all_pairs += len(found)
            all_correct += sum(1 for m in found if truth.get(entry.id) == m.b)
    t_match = time.perf_counter() - t1

    true_positive = sum(1 for e, p in top.items() if truth.get(e) == p)
    precision = true_positive / len(top) if top else 0.0
    recall = true_positive / len(truth) if truth else 0.0
    print(f"people: {len(people)}  list entries: {len(entries)}  labelled matches: {len(truth)}  min score: {args.min_score}")
    print(f"normalise+build data: {t_build:.1f} s (not counted)")
    print(f"matching time: {t_match:.1f} s (index {t_index:.1f} s) on one core  target < 60 s")
    print(f"pairs compared: {pairs} ({pairs / (len(people) * len(entries)):.5%} of all {len(people) * len(entries)} pairs)")
    print(f"top candidate: precision {precision:.3f}  recall {recall:.3f}  (targets >= 0.95)")
    print(f"all candidates shown: {all_pairs}, of which correct {all_correct} (precision {all_correct / max(all_pairs, 1):.3f})")


if __name__ == "__main__":
    main()
