"""The name rules we write ourselves, in one table (docs/patterns.md prints it as a standards table).

Russian Cyrillic goes through `iuliia` (the standards' own tables: MVD 782 for reading, and ICAO 9303, GOST 52535,
MVD 310, BGN/PCGN... as spellings that must read alike). Everything iuliia does not cover is here, one row per rule:
the letters of the Central Asian alphabets (Cyrillic and Latin), the folds that make the standards' spellings of
one name agree, and the word forms of names (surname endings, patronymics, "uulu/kyzy" particles).

Each row is a `Rule(id, standard, kind, source, target, examples)`; `examples` are spellings that must come out
alike through the rule (tests/names runs each row, and docs/patterns.md shows them). Kinds:

- ``letter``: one letter of an alphabet, read before anything else (source -> plain Latin);
- ``digraph``: a letter group read in the whole text before single letters (Kazakh 2017 apostrophes, дж);
- ``fold``: a Latin letter group of a token -> its matching form (the strict key);
- ``loose``: a fold of the loose key (Russified vowels), which scores a little lower than the strict key;
- ``given``: an ending a given name may carry or drop (compared, not folded: it scores like a one-letter typo);
- ``german``: letters of German-style spellings, applied to a second reading of tokens that look German;
- ``suffix``: a word ending that makes the word a surname or a patronymic (target = role, sex);
- ``particle``: a separate word that makes the word before it a father's name (target = sex).
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    id: str
    standard: str
    kind: str
    source: str
    target: str
    examples: tuple[str, ...]


R = Rule
RULES: tuple[Rule, ...] = (
    # --- Cyrillic letters of the Central Asian alphabets (Russian letters are iuliia's) ----------------------
    R("kk-ә", "Kazakh Cyrillic", "letter", "ә", "a", ("Әбдіқадыр", "Abdikadyr")),
    R("kk-ғ", "Kazakh/Uzbek/Tajik Cyrillic", "letter", "ғ", "gh", ("Ғалымжан", "Galymzhan", "Ghalymzhan")),
    R("kk-қ", "Kazakh/Uzbek/Tajik Cyrillic", "letter", "қ", "q", ("Қайрат", "Qairat", "Kairat")),
    R("kk-ң", "Kazakh/Kyrgyz Cyrillic (ң before г is one n: Чыңгыз)", "letter", "ң", "n", ("Мөңке", "Monke", "Mongke")),
    R("kk-ө", "Kazakh/Kyrgyz Cyrillic", "letter", "ө", "o", ("Өмірбек", "Omirbek")),
    R("kk-ұ", "Kazakh Cyrillic", "letter", "ұ", "u", ("Нұрлан", "Nurlan")),
    R("kk-ү", "Kazakh/Kyrgyz Cyrillic", "letter", "ү", "u", ("Үсөн", "Uson")),
    R("kk-һ", "Kazakh Cyrillic", "letter", "һ", "h", ("Һашим", "Hashim")),
    R("kk-і", "Kazakh Cyrillic", "letter", "і", "i", ("Ілияс", "Iliyas")),
    R("tg-ӣ", "Tajik Cyrillic", "letter", "ӣ", "i", ("Алӣ", "Ali")),
    R("tg-ӯ", "Tajik Cyrillic", "letter", "ӯ", "u", ("Рӯзӣ", "Ruzi")),
    R("tg-ҳ", "Tajik/Uzbek Cyrillic", "letter", "ҳ", "h", ("Ҳусейн", "Husein", "Khusein")),
    R("tg-ҷ", "Tajik Cyrillic", "letter", "ҷ", "j", ("Раҳимҷон", "Rahimjon", "Рахимджон")),
    R("uz-ў", "Uzbek Cyrillic ў (Russian у)", "letter", "ў", "u", ("Ўткир", "Уткир", "Utkir")),
    R("uz-oʻ", "Uzbek Latin oʻ (ў) with any apostrophe", "digraph", "o'", "u", ("Oʻtkir", "O'tkir", "O‘tkir", "Ўткир", "Уткир")),
    R("ru-дж", "Central Asian reading of дж", "digraph", "дж", "j", ("Джамшед", "Jamshed", "Dzhamshed")),
    # --- Latin letters: Kazakh 2018 (acute) and 2021 (Turkic), Turkmen, Uzbek ---------------------------------
    R("kz18-á", "Kazakh Latin 2018", "letter", "á", "a", ("Dáýren", "Даурен")),
    R("kz18-ǵ", "Kazakh Latin 2018", "letter", "ǵ", "g", ("Ǵalymjan", "Ғалымжан")),
    R("kz18-ń", "Kazakh Latin 2018", "letter", "ń", "n", ("Meńdibek", "Меңдібек")),
    R("kz18-ó", "Kazakh Latin 2018", "letter", "ó", "o", ("Ómirbek", "Өмірбек")),
    R("kz18-ú", "Kazakh Latin 2018", "letter", "ú", "u", ("Úsen", "Үсен")),
    R("kz18-ý", "Kazakh Latin 2018 (у); Turkmen ý is й", "letter", "ý", "u|y", ("Baýyrjan", "Бауыржан")),
    R("kz-ı", "Kazakh Latin 2018/2021 (і)", "letter", "ı", "i", ("Ilııas", "Ілияс")),
    R("kz21-ä", "Kazakh 2021, Turkmen", "letter", "ä", "a", ("Äbdiqadyr", "Әбдіқадыр")),
    R("kz21-ğ", "Kazakh 2021", "letter", "ğ", "g", ("Ğalymjan", "Ғалымжан")),
    R("kz21-ñ", "Kazakh 2021", "letter", "ñ", "n", ("Meñdibek", "Меңдібек")),
    R("kz21-ö", "Kazakh 2021, Turkmen", "letter", "ö", "o", ("Ömirbek", "Өмірбек")),
    R("kz21-ū", "Kazakh 2021", "letter", "ū", "u", ("Nūrlan", "Нұрлан")),
    R("kz21-ü", "Kazakh 2021, Turkmen", "letter", "ü", "u", ("Üsen", "Үсен")),
    R("kz21-ş", "Kazakh 2021, Turkmen, Turkish", "letter", "ş", "sh", ("Şamşiyev", "Шамшиев")),
    R("kz21-ç", "Kazakh 2021, Turkmen", "letter", "ç", "ch", ("Çingiz", "Чингиз")),
    R("tk-ž", "Turkmen Latin", "letter", "ž", "zh", ("Žumabaý", "Жумабай")),
    R("tk-ň", "Turkmen Latin", "letter", "ň", "n", ("Meňli", "Меңли")),
    R("az-ə", "Azerbaijani Latin", "letter", "ə", "a", ("Əliyev", "Алиев")),
    R("kz17-c'", "Kazakh Latin 2017 (apostrophes)", "digraph", "c'", "ch", ("C'ingiz", "Чингиз")),
    R("kz17-s'", "Kazakh Latin 2017 (apostrophes)", "digraph", "s'", "sh", ("S'amshi", "Шамши")),
    R("uz-apostrophe", "Uzbek Latin oʻ gʻ and tutuq belgisi: ʻ ʼ ' ‘ ’ ` ´ all dropped", "letter", "ʻʼ'‘’`´", "",
      ("Gʻulom", "G'ulom", "G‘ulom", "G’ulom", "G`ulom", "G´ulom", "Gʼulom", "Ғулом")),
    # --- folds of the strict key (every token) ------------------------------------------------------------
    R("shch", "щ: ICAO/BGN shch, GOST 7.79 shh, Mosmetro sch", "fold", "shch|shh|sch", "sh", ("Shchukin", "Schukin", "Shhukin", "Щукин")),
    R("zh", "ж/дж: zh, dzh, Uzbek/Tajik j, French dj", "fold", "dzh|dj|zh", "j", ("Zholdoshbek", "Joldoshbek", "Жолдошбек")),
    R("kh", "х: kh, Uzbek x, Tajik h", "fold", "kh|x", "h", ("Khasanov", "Xasanov", "Hasanov", "Хасанов")),
    R("gh", "ғ: gh, gʻ, g", "fold", "gh", "g", ("Ghulom", "Gʻulom", "Gulom", "Ғулом")),
    R("q", "қ: Kazakh/Uzbek q, Russian к", "fold", "q", "k", ("Qasymov", "Kasymov", "Қасымов")),
    R("ts", "ц: ts, GOST 52535 tc, ISO c (German z: German-style reading)", "fold", "ts|tc", "c", ("Tsoi", "Tcoi", "Цой")),
    R("w", "в: German and Turkmen w", "fold", "w", "v", ("Berdimuhamedow", "Бердимухамедов")),
    R("ng", "ң: ng, n (Russian spelling drops it)", "fold", "ng", "n", ("Мөңке", "Monke", "Mongke")),
    R("y", "ы/и/й: y, i (ICAO й=i)", "fold", "y", "i", ("Nysanbaev", "Nisanbaev", "Нысанбаев")),
    R("ye", "е written ye/ie at the start and after vowels (BGN, MVD 782)", "fold", "ie", "e", ("Yerlan", "Erlan", "Ерлан")),
    R("ye-after-vowel", "е written ye after vowels (BGN, MVD 782)", "fold", "Vie", "Ve", ("Nysanbayev", "Nysanbaev", "Нысанбаев")),
    R("double", "doubled letters: ss/s, nn/n, ii/i; Kyrgyz uu", "fold", "xx", "x", ("Nyssanbaev", "Nysanbaev", "Нысанбаев")),
    R("ou", "French-style ou for у", "fold", "ou", "u", ("Youssoupov", "Yusupov", "Юсупов")),
    # --- loose key: Russified spellings of native names ---------------------------------------------------------
    R("ao", "Russian а where Uzbek/Tajik write o (Ботир/Батыр, Абдулло/Абдулла)", "loose", "o", "a", ("Botir", "Батыр")),
    R("ie", "Russian и where Uzbek writes e, and е/и generally (Шерзод/Ширзод)", "loose", "e", "i", ("Sherzod", "Ширзод")),
    R("yo", "Russian е (and ICAO e) for ё / Uzbek yo at the start", "loose", "^io", "e", ("Yodgor", "Едгор", "Edgor", "Ёдгор")),
    R("final-h", "Uzbek/Tajik final h after a vowel, dropped in Russian (Abdulloh/Абдулла)", "loose", "Vh$", "V", ("Abdulloh", "Абдулла")),
    R("jon", "Uzbek/Tajik -jon (-джон) on a given name, often dropped (Farrukhjon/Farrukh)", "given", "jon", "",
      ("Farrukhjon", "Фаррух")),
    # --- German-style spellings (a second reading of tokens with w, sch, tsch) ----------------------------------
    R("de-tsch", "German-style: tsch for ч", "german", "tsch", "ch", ("Tscholpon", "Чолпон")),
    R("de-dsch", "German-style: dsch for дж", "german", "dsch", "j", ("Dschamschid", "Джамшид")),
    R("de-sch", "German-style: sch for ш", "german", "sch", "sh", ("Schuchrat Jussupow", "Шухрат Юсупов")),
    R("de-sh", "German-style: sh for ж", "german", "sh", "zh", ("Schamschiew Ershan", "Шамшиев Ержан")),
    R("de-ch", "German-style: ch for х (in a name with w, tsch or dsch)", "german", "ch", "h", ("Chassanow", "Хасанов")),
    R("de-j", "German-style: j for й (ja, ju, jo, je = я, ю, ё, е)", "german", "j", "y", ("Jussupow", "Юсупов")),
    R("de-s", "German-style: ss for с, s between vowels for з", "german", "ss|VsV", "s|VzV", ("Nasarow", "Назаров")),
    # --- word forms: surname endings and patronymics ------------------------------------------------------------
    R("ru-ovich", "Russian patronymic -ович/-евич (male)", "suffix", "ovich|evich|ich", "father m", ("Karimovich", "Karim oʻgʻli")),
    R("ru-ovna", "Russian patronymic -овна/-евна (female)", "suffix", "ovna|evna|ichna", "father f", ("Karimovna", "Karim qizi")),
    R("kz-uly", "Kazakh -ұлы / -uly joined (son of); not -guly, part of Turkmen given names (Gurbanguly)", "suffix", "uli|ulu|uulu", "father m", ("Talgatuly", "Talgatovich", "Талғатұлы")),
    R("kz-kyzy", "Kazakh/Kyrgyz -қызы / -kyzy joined (daughter of)", "suffix", "kizi|qizi", "father f", ("Talgatkyzy", "Talgatovna")),
    R("uz-ogli", "Uzbek o‘g‘li / ugli joined (son of)", "suffix", "ogli|ugli|oglu", "father m", ("Karimugli", "Karimovich")),
    R("ru-ov", "Russian surname -ов/-ев (male)", "suffix", "ov|ev", "family m", ("Umarov", "Umarzoda", "Umar")),
    R("ru-ova", "Russian surname -ова/-ева (female)", "suffix", "ova|eva", "family f", ("Umarova", "Umarzoda")),
    R("tg-zoda", "Tajik -zoda/-zade (son or daughter of)", "suffix", "zoda|zade|zadeh", "family", ("Umarzoda", "Умаров", "Umarzade")),
    R("tg-pur", "Tajik -pur (son of)", "suffix", "pur", "family m", ("Karimpur", "Karimov")),
    R("kg-uulu", "Kyrgyz/Kazakh \"<father> uulu/uly\", split (son of)", "particle", "uulu|ulu|uli", "m",
      ("Asylbek uulu", "Асылбекуулу", "Асылбеков")),
    R("uz-ogli-split", "Uzbek \"<father> o‘g‘li\", split (son of)", "particle", "ugli|ogli|oglu", "m",
      ("Karim oʻgʻli", "Karimovich")),
    R("kg-kyzy", "Kyrgyz/Kazakh/Uzbek \"<father> kyzy/qizi\", split (daughter of)", "particle", "kizi|kiz|qizi", "f",
      ("Asylbek kyzy", "Асылбекова")),
)

# Apostrophe-like marks: Uzbek oʻ/gʻ, the Russian hard and soft signs of MVD/BGN/ISO, quotes.
APOSTROPHES = "'`´ʻʼʹʾʿ’‘ꞌ\"”“″′ʺ"

# Latin letters that look like Cyrillic ones, and back: OCR and keyboards mix them inside one word.
LATIN_TO_CYRILLIC = str.maketrans("aeopcxyABEKMHOPCTXY", "аеорсхуАВЕКМНОРСТХУ")
CYRILLIC_TO_LATIN = str.maketrans("аеорсхуАВЕКМНОРСТХУ", "aeopcxyABEKMHOPCTXY")
# Digits for letters: OCR slips and keyboard habits, read by the script of the word around them.
DIGITS_IN_CYRILLIC = str.maketrans("034681", "озчбві")
DIGITS_IN_LATIN = str.maketrans("01345678", "oieasbtb")

# Given names that differ by a letter or two but are different names (twins are often named so): a typo
# between two of these is never assumed. Strict keys; spelling variants of ONE name (Murat/Murod, Ibrahim/
# Ibragim, Pulat/Bolat, Osman/Usmon) must not both be here, or the matcher would call them different people.
DISTINCT_GIVEN_NAMES = frozenset(
    """
    hasan husan husein hasanboi husanboi ruslan rustam rasul rasal ravshan rahmon rahman rahim rahmat ramil ramiz
    farhod farrukh faruh farid farida firuz feruz firuza sardor sarvar sanjar sanjarbek shavkat shokir shakir nurlan
    nurjan nurbek nurali nursultan nurislam nuriddin nurullo erlan ermek erkin erjan erbol arman armanbek aibek
    aidar aidos almaz alibek ali alim alisher alijon azamat azat aziz azizbek bauirjan bakit bakitbek
    bahtiar bahodur bekzat bekjan bekmurat jasur jamshid jamshed javlon jahongir dilshod dilmurod daler dastan
    dauren daniar daniiar ilias ilhom islom ismail iskandar kairat kanat komron kamol kamil kamila marat maksat
    medet mirlan mirzo murat nodir nozim otabek oibek parviz rashid rashad said saidali sardorbek sergei sirojiddin
    suhrob sultan sunnat talgat temirlan timur tolegen ulugbek umid umed utkir farhad zafar zarif ahmad akmal akram
    anvar anvarjon asad asal asilbek asilhan azim bobur botir davron doniiar eldor elior emil eldar hurshid
    husniddin ibrohim isroil jahon jonibek kudrat kurban kamal latif mahmud muhammad muhammadali musa nazar olim
    pulat rauf ruslanbek saidjon samir samat sanat shahzod sherzod shuhrat sobir sohib tohir tolib ulan ulanbek umar
    usman vali iakub iusuf zokir abai adilet aibar aiperi aigerim aizada aliia asel dana dinara gulnara gulnoza
    madina malika nargiza nigora nilufar saida zarina zulfiia karim kasim kadir kodir kabir halim salim saidmurod
    hamid nazir nasir nasim naim amir amin amon aman usmon ubaid iunus tahir sabir sabit safar sadik sadiq
    sharif shukur shakur mamat mamad tursun tursunbai turdi turgun nurmat nurman nurmukhamed alimjan bakir ergash
    eshmat toshmat tashmat kurbon kuban abdulla abdula abdurahman abdurahmon ismoil isa ibrahim gani gafur gafar
    jura juma jumabai jumabek dusmat dosmuhamed lutfi mirza naurus sultanbek tokto toktogul uktam fatah
    fattah habib habibulla chari egam iuldash iuldosh iuldi ahmadjon beishen duishen joldosh jusup kochkor orozbek
    sagimbai usenbai chalpanbai sharshen ismailbek baitursin janizak iskak oshan sarsen tastan utesh mamadali uzak
    utegen galimjan aidin ernis nurbol asan usen uson usan hasanbek husanbek fatima zuhra fotima zuhro saad saidbek
    """.split()
)
