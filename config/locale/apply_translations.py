"""Fill a catalogue from a translator's TSV: `msgid<TAB>msgstr` per line (plural forms joined by `|`).

    .venv/bin/python config/locale/apply_translations.py ru translations.tsv

Only entries that are empty or fuzzy are filled; the fuzzy flag is then removed.
Escapes: write a newline inside a msgid or msgstr as \\n and a tab as \\t.
Lines whose msgid is not in the catalogue are listed and skipped.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def apply(lang: str, pairs: dict[str, str]) -> tuple[int, list[str]]:
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    nplurals = int(catalogue.metadata.get("Plural-Forms", "nplurals=2;").split("nplurals=")[1].split(";")[0])
    by_id = {e.msgid: e for e in catalogue if not e.obsolete}
    filled, unknown = 0, []
    for msgid, msgstr in pairs.items():
        entry = by_id.get(msgid)
        if entry is None:
            unknown.append(msgid)
            continue
        if entry.msgstr and "fuzzy" not in entry.flags and not entry.msgid_plural:
            continue
        if entry.msgid_plural:
            forms = msgstr.split("|")
            forms += [forms[-1]] * (nplurals - len(forms))
            entry.msgstr_plural = {i: forms[i] for i in range(nplurals)}
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        filled += 1
    catalogue.save()
    return filled, unknown


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lang, path = sys.argv[1], sys.argv[2]
    pairs = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            msgid, _, msgstr = line.partition("\t")
            pairs[_unescape(msgid)] = _unescape(msgstr)
    filled, unknown = apply(lang, pairs)
    for msgid in unknown:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)
    print(f"{filled} entries filled in {lang}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
