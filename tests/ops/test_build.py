"""The one build step: every install path runs `make build`, and what it leaves behind is complete."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po")) + sorted(ROOT.glob("[a-z]*/locale/*/LC_MESSAGES/*.po"))


def compiled_gaps(po_path: Path) -> list[str]:
    """Translated messages of a .po that its compiled .mo lacks or translates differently."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path.relative_to(ROOT)} is missing: run `make build` (or `make messages`)"]
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    gaps = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
            continue
        found = compiled.get((entry.msgctxt, entry.msgid))
        if found is None or (entry.msgstr and found[0] != entry.msgstr):
            gaps.append(f"{po_path.relative_to(ROOT)}: {entry.msgid[:60]!r} is not in the compiled catalogue")
    return gaps


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translated_message_is_in_the_compiled_catalogue(po_path):
    gaps = compiled_gaps(po_path)
    assert not gaps, "\n".join(gaps[:20])


def test_a_message_added_to_the_po_after_compiling_is_caught(tmp_path, monkeypatch):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Case", msgstr="Дело"))
    path = tmp_path / "django.po"
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    monkeypatch.setattr("tests.ops.test_build.ROOT", tmp_path)
    assert compiled_gaps(path) == []
    po.append(polib.POEntry(msgid="Evidence", msgstr="Доказательства"))
    po.save(str(path))
    assert compiled_gaps(path) == ["django.po: 'Evidence' is not in the compiled catalogue"]
    path.with_suffix(".mo").unlink()
    assert "is missing" in compiled_gaps(path)[0]


def test_every_install_path_uses_the_build_step():
    makefile = (ROOT / "Makefile").read_text()
    build = re.search(r"^build:(.*)$", makefile, re.M)
    assert build and {"venv", "messages", "static"} <= set(build.group(1).split())
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^RUN make build\b", dockerfile, re.M), "the image must be built by `make build`"
    assert "compilemessages" not in dockerfile and "|| true" not in dockerfile
    assert "make build" in (ROOT / "README.md").read_text()
    assert "build: ." in (ROOT / "docker-compose.yml").read_text()  # compose runs the image made above
