"""Name pools and spellings for bench/matching.py: Central Asian people as Dalil holds them, and as lists print them.

Native Cyrillic forms per nationality (Kazakh, Kyrgyz, Uzbek, Tajik letters) are turned into the Russified forms
Russian lists print, the romanisations passports and families use (iuliia for the Russian and Uzbek standards;
Kazakh 2018/2021, Turkmen, German-style and casual tables here), and the native surname forms (-zoda, -uly,
uulu, o‘g‘li...). Independent of cases/name_rules.py on purpose: the bench must not grade the matcher's own table.
"""

from __future__ import annotations

import random

import iuliia

GIVEN = {
    ("kz", "m"): "Нұрлан Ерлан Бауыржан Дәурен Асқар Ғалымжан Қайрат Серік Мұхтар Ержан Данияр Арман Болат Талғат "
    "Медет Нұржан Темірлан Айдар Мақсат Бақыт Ілияс Өмірбек Ұлан Жандос Бекзат Санжар Дастан Әлібек Ерболат Асан "
    "Қанат Марат Самат Нұрсұлтан Жасұлан Бекжан Абылай Ернар Мирас Алмас".split(),
    ("kz", "f"): "Айгерім Әсел Гүлнар Жанар Ақбота Дана Мадина Динара Аружан Балжан Сәуле Жұлдыз Меруерт Назерке Ұлжан".split(),
    ("kg", "m"): "Ермек Асылбек Талант Мирлан Эрлан Нурбек Азамат Бакыт Кубанычбек Алмаз Уланбек Төлөгөн Сүйүнбай "
    "Жээнбек Мелис Адилет Бекжан Улан Эрнис Жоомарт Чыңгыз Айбек Мээрим Нурлан Темир Бекболот Элдияр Бактыбек "
    "Жыргалбек Курманбек Өмүрбек Үсөн Асан Токтосун Майрамбек Сыймык Нуржигит Алтынбек".split(),
    ("kg", "f"): "Айпери Айзада Жылдыз Гүлнара Нургүл Бермет Чолпон Асель Динара Элнура Аселя Бүбүсара Мээрим Назира Айжан".split(),
    ("uz", "m"): "Ботир Жасур Шерзод Дилшод Сардор Жаҳонгир Ўткир Ғайрат Шавкат Отабек Равшан Хуршид Акмал Ислом "
    "Тоҳир Собир Ёдгор Фарҳод Бахтиёр Улуғбек Анвар Нодир Абдулло Мирзоҳид Одил Эркин Баҳодир Шуҳрат Зафар "
    "Элёр Жамшид Азиз Азим Ҳасан Ҳусан Умид Комил Ойбек Санжар".split(),
    ("uz", "f"): "Дилноза Гулноза Нигора Малика Шаҳло Феруза Моҳира Зулфия Ойгул Нилуфар Дилдора Маҳлиё Сарвиноз Ёқут".split(),
    ("tj", "m"): "Фаррух Фирӯз Шерали Далер Баҳодур Умед Парвиз Искандар Сорбон Ҳусейн Комрон Суҳроб Манучеҳр Раҳимҷон "
    "Ҷамшед Фаридун Зоир Бахтовар Наврӯз Исмоил Юсуф Ёқуб Меҳрубон Абдураҳмон Муҳаммад Идрис Рустам Афзал Шоҳин "
    "Мирзо Аловиддин Нурулло Бобоҷон Ашӯр Сафар Саид Анвар Азиз Азим".split(),
    ("tj", "f"): "Мадина Фотима Зарина Нигина Ситора Шаҳноза Мунира Тахмина Гулчеҳра Дилором Парвина Шабнам Меҳрангез".split(),
}
ROOTS = {
    "kz": "Нысанбай Жұмабай Сейтқазы Кенжебек Бекмұрат Нұрмағамбет Әбдіқадыр Ерғали Тоқтар Қасым Әбіш Сәрсен "
    "Байтұрсын Досмұхамед Жанұзақ Ысқақ Оспан Тастан Өтеш Шайхислам Ыбырай Жақып Құдайберген Есім Әлімжан".split(),
    "kg": "Асылбек Токтогул Асанбек Мамыт Осмон Турсун Эргеш Абдыкадыр Сыдык Жээнбек Алымкул Шамшы Бакир Төлөгөн "
    "Айтмамат Бейшен Дүйшөн Жолдош Жусуп Кадыр Кочкор Маматкадыр Нурмат Орозбек Сагынбай Таалай Үсөнбай Чолпонбай".split(),
    "uz": "Юлдош Тошмат Эшмат Каримжон Ҳасан Раҳим Исмоил Турсун Қурбон Рўзи Хайрулло Нигмат Абдулло Ғаффор Қодир "
    "Нормат Эргаш Ўктам Собир Жўра Дўсмат Иргаш Пўлат Олим Ҳабиб Шукур Эгам Ёдгор Холмат Мамадали Тўхта".split(),
    "tj": "Умар Раҳмон Назар Давлат Сафар Мирзо Шариф Саид Ёдгор Холмат Ашӯр Бобо Қаҳҳор Муҳиддин Нуриддин "
    "Зайниддин Ғаффор Саттор Ҳамид Латиф Маҳмуд Насрулло Раҷаб Фаттоҳ Шукур Ҳайдар Файзулло Карим Абдулло".split(),
}
SECOND = ["", "", "", "", "бек", "али", "жон", "кул", "мат", "бай", "назар", "берди", "мурод", "хон"]
TWINS = {"uz": [("Ҳасан", "Ҳусан"), ("Азиз", "Азим")], "tj": [("Ҳасан", "Ҳусан"), ("Азиз", "Азим")],
         "kg": [("Асан", "Үсөн"), ("Нурлан", "Нурбек")], "kz": [("Асан", "Үсен"), ("Нұрлан", "Нұржан")]}

# Native letters -> the Russian letters a Russian list prints.
RUSSIFY = str.maketrans({"ў": "у", "ғ": "г", "қ": "к", "ҳ": "х", "ӣ": "и", "ӯ": "у", "ң": "н", "ө": "о", "ү": "у",
                         "ұ": "у", "ә": "а", "і": "и", "һ": "х", "Ў": "У", "Ғ": "Г", "Қ": "К", "Ҳ": "Х", "Ө": "О",
                         "Ү": "У", "Ұ": "У", "Ә": "А", "І": "И", "Ң": "Н"})


def russify(word: str) -> str:
    return word.replace("ҷ", "дж").replace("Ҷ", "Дж").translate(RUSSIFY)


def russify_vowels(word: str, rng: random.Random) -> str:
    """Russian а for Uzbek/Tajik о, и for е, е for initial ё (Ботир -> Батыр, Абдулло -> Абдулла, Ёдгор -> Едгор)."""
    out = []
    for i, ch in enumerate(word):
        if ch in "оО" and i > 0 and rng.random() < 0.7:
            ch = "а"
        elif ch == "е" and i > 0 and rng.random() < 0.5:
            ch = "и"
        elif ch == "Ё" and i == 0:
            ch = "Е"
        out.append(ch)
    return "".join(out)


def surname(root: str, sex: str, ending: str = "ов") -> str:
    base = root[:-1] if root.endswith("й") else root
    if root[-1] in "аеиоуыэюяй" or root.endswith("ь"):
        ending = "ев"
    return base + ending + ("а" if sex == "f" else "")


def patronymic(father: str, sex: str) -> str:
    base = father[:-1] if father.endswith(("й", "ь")) else father
    soft = father[-1] in "аеиоуыэюяйь"
    return base + ("ев" if soft else "ов") + ("на" if sex == "f" else "ич")


KZ_2021 = {"ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "і": "ı", "ш": "ş", "ч": "ç",
           "ж": "j", "й": "i", "и": "i", "у": "u", "ы": "y", "х": "h", "һ": "h", "ц": "ts", "ю": "iu", "я": "ia",
           "е": "e", "ё": "io", "щ": "şş", "ъ": "", "ь": "", "э": "e"}
KZ_2018 = {**KZ_2021, "ә": "á", "ғ": "ǵ", "ң": "ń", "ө": "ó", "ұ": "u", "ү": "ú", "у": "ý", "ш": "sh", "ч": "ch",
           "й": "ı", "и": "ı", "і": "i", "щ": "shch"}
TURKMEN = {"ж": "ž", "й": "ý", "ш": "ş", "ч": "ç", "в": "w", "ы": "y", "х": "h", "ц": "ts", "щ": "şç", "ю": "ýu",
           "я": "ýa", "ё": "ýo", "е": "e", "ъ": "", "ь": "", "э": "e", "дж": "j"}
GERMAN = {"ж": "sh", "й": "j", "ш": "sch", "ч": "tsch", "в": "w", "ы": "y", "х": "ch", "ц": "z", "щ": "schtsch",
          "ю": "ju", "я": "ja", "ё": "jo", "е": "e", "ъ": "", "ь": "", "э": "e", "з": "s", "дж": "dsch", "у": "u"}
CASUAL = {"ж": "j", "й": "i", "ш": "sh", "ч": "ch", "х": "h", "ц": "ts", "щ": "sh", "ю": "yu", "я": "ya", "ё": "yo",
          "е": "e", "ы": "i", "ъ": "", "ь": "", "э": "e", "дж": "dj"}
PLAIN = dict(zip("абвгдзиклмнопрстуф", "abvgdziklmnoprstuf"))


def table_translit(word: str, table: dict) -> str:
    """Transliterate one Cyrillic word by a table (two-letter keys first); capitalisation kept.

    German-style (Duden): с between vowels is ss, since a single s there is з.
    """
    out, i, low = [], 0, word.lower()
    while i < len(low):
        two = low[i:i + 2]
        if two in table:
            out.append(table[two])
            i += 2
            continue
        ch = low[i]
        between = 0 < i < len(low) - 1 and low[i - 1] in VOWELS_CYR and low[i + 1] in VOWELS_CYR
        out.append("ss" if table is GERMAN and ch == "с" and between else table.get(ch, PLAIN.get(ch, ch)))
        i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


VOWELS_CYR = "аеёиоуыэюяәөұүі"
APOSTROPHE_VARIANTS = ["ʻ", "'", "‘", "’", "`", "ʼ"]


def uzbek_latin(word: str, rng: random.Random) -> str:
    mark = rng.choice(APOSTROPHE_VARIANTS)
    return iuliia.UZ.translate(word).replace("ʻ", mark)


SCHEMAS = {"ICAO 9303 (passports from 2013)": iuliia.ICAO_DOC_9303, "GOST 52535 (passports 2006-2010)": iuliia.GOST_52535,
           "MVD 1997 (passports)": iuliia.MVD_310, "MVD 782 (passports 2000s)": iuliia.MVD_782, "BGN/PCGN": iuliia.BGN_PCGN}
