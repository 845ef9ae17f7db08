"""Refresh the message catalogues and report what is left to translate.

    .venv/bin/python config/locale/refresh.py            # makemessages for every language in config/locale
    .venv/bin/python config/locale/refresh.py --check    # ... and exit 1 if any entry is untranslated or fuzzy
    .venv/bin/python config/locale/refresh.py --check --no-extract   # only check the .po files as they are

Run it after templates or Python strings change; then translate what it lists
(docs/translating.md) and `make messages` compiles the .po files into .mo.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "config" / "locale"
IGNORE = [".venv", "static_root", "var", "tests", "bench", "node_modules", ".git"]


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/django.po"))


def extract(langs: list[str]) -> None:
    python = ROOT / ".venv" / "bin" / "python"
    args = [str(python if python.exists() else sys.executable), "manage.py", "makemessages", "--no-obsolete", "-v0"]
    for name in IGNORE:
        args.append(f"--ignore={name}")
    for lang in langs:
        args += ["-l", lang]
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"})


def problems(lang: str) -> list[str]:
    import polib

    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    out = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            out.append(f"{lang}: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                out.append(f"{lang}: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            out.append(f"{lang}: untranslated: {entry.msgid!r}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if an entry is untranslated or fuzzy")
    parser.add_argument("--no-extract", action="store_true", help="do not run makemessages first")
    parser.add_argument("-l", "--language", action="append", help="language code (default: every catalogue present)")
    opts = parser.parse_args()
    langs = opts.language or languages() or ["ru"]
    if not opts.no_extract:
        extract(langs)
    found = [line for lang in langs for line in problems(lang)]
    for line in found:
        print(line)
    print(f"{len(found)} entries to translate in {', '.join(langs)}", file=sys.stderr)
    return 1 if (opts.check and found) else 0


if __name__ == "__main__":
    sys.exit(main())
