"""The Russian catalogue is complete: nothing untranslated, nothing fuzzy, every template string in it."""

import re
from pathlib import Path

import polib
from django.conf import settings

from .test_templates_marked import template_files

PO = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "django.po"
LITERAL = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')(?![^%]*\bnoop\b)""")


def _catalogue():
    return polib.pofile(str(PO))


def _nplurals(catalogue) -> int:
    return int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])


def test_russian_catalogue_has_no_untranslated_or_fuzzy_entries():
    bad = []
    catalogue = _catalogue()
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            bad.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural and not all(entry.msgstr_plural.get(i) for i in range(_nplurals(catalogue))):
            bad.append(f"plural forms missing: {entry.msgid!r}")
        elif not entry.msgid_plural and not entry.msgstr:
            bad.append(f"untranslated: {entry.msgid!r}")
    assert not bad, "Run config/locale/refresh.py and translate:\n" + "\n".join(bad)


def test_russian_catalogue_declares_the_russian_plural_forms():
    # one / few / many (Django's own Russian catalogue adds a fourth, for fractions)
    assert _nplurals(_catalogue()) in (3, 4)


def test_placeholders_survive_translation():
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    bad = []
    for entry in _catalogue():
        if entry.obsolete or entry.msgid_plural or not entry.msgstr:
            continue
        if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr)):
            bad.append(entry.msgid)
    assert not bad


def test_every_template_string_is_in_the_catalogue():
    """Catches strings added after the catalogue was last refreshed (config/locale/refresh.py)."""
    known = {e.msgid for e in _catalogue() if not e.obsolete and (e.msgstr or e.msgstr_plural)}
    missing = []
    for path in template_files():
        for match in LITERAL.finditer(path.read_text(encoding="utf-8")):
            msgid = match.group(1) if match.group(1) is not None else match.group(2)
            if msgid not in known and msgid.replace("%", "%%") not in known:  # makemessages doubles % in templates
                missing.append(f"{path.name}: {msgid!r}")
    assert not missing, "Run config/locale/refresh.py and translate:\n" + "\n".join(missing)
