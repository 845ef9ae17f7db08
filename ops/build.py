"""What `make build` leaves behind (compiled catalogues, collected static files), checked where it matters:
`prod_check` on a server and the tests in CI."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from django.conf import settings
from django.contrib.staticfiles import finders


def catalogues() -> list[Path]:
    """Every .po file of the project: config/locale and any app's locale folder."""
    root = Path(settings.BASE_DIR)
    found = [p for folder in settings.LOCALE_PATHS for p in Path(folder).glob("*/LC_MESSAGES/*.po")]
    return sorted(found) + sorted(root.glob("[a-z]*/locale/*/LC_MESSAGES/*.po"))


def compiled_gaps(po_path: Path) -> list[str]:
    """Translated messages of a .po that its compiled .mo lacks or translates differently."""
    mo_path = po_path.with_suffix(".mo")
    name = po_path.parent.parent.name + "/" + po_path.name
    if not mo_path.exists():
        return [f"{name}: the compiled catalogue {mo_path.name} is missing: run `make build`"]
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    gaps = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
            continue
        found = compiled.get((entry.msgctxt, entry.msgid))
        if found is None or (entry.msgstr and found != entry.msgstr):
            gaps.append(f"{name}: {entry.msgid[:60]!r} is not in the compiled catalogue: run `make build`")
    return gaps


def catalogue_problems() -> list[str]:
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    present = {p.parent.parent.name for p in catalogues()}
    problems = [f"no catalogue for the language {code!r}" for code in sorted(languages - present)]
    for po_path in catalogues():
        problems += compiled_gaps(po_path)
    return problems


def static_problems() -> list[str]:
    """The manifest of hashed names exists and names every static file the apps ship."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return [f"static files are not collected ({manifest} is missing): run `make build`"]
    try:
        collected = set(json.loads(manifest.read_text(encoding="utf-8"))["paths"])
    except (ValueError, KeyError):
        return [f"{manifest} is unreadable: run `make build`"]
    shipped = {path.replace("\\", "/") for finder in finders.get_finders() for path, _storage in finder.list(["CVS", ".*", "*~"])}
    missing = sorted(shipped - collected)
    if missing:
        return [f"{len(missing)} static file(s) are newer than the last build, e.g. {missing[0]}: run `make build`"]
    return []
