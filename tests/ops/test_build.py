"""The one build step: every install path runs `make build`, and what it leaves behind is complete."""

import re
from pathlib import Path

import polib
import pytest

from ops.build import catalogue_problems, catalogues, compiled_gaps, static_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translated_message_is_in_the_compiled_catalogue(po_path):
    gaps = compiled_gaps(po_path)
    assert not gaps, "\n".join(gaps[:20])


def test_a_message_added_to_the_po_after_compiling_is_caught(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Case", msgstr="Дело"))
    path = tmp_path / "django.po"
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    assert compiled_gaps(path) == []
    po.append(polib.POEntry(msgid="Evidence", msgstr="Доказательства"))
    po.save(str(path))
    assert len(compiled_gaps(path)) == 1 and "'Evidence' is not in the compiled catalogue" in compiled_gaps(path)[0]
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


def test_prod_check_sees_catalogues_and_static_files(settings, tmp_path):
    assert catalogue_problems() == []
    settings.LANGUAGES = [*settings.LANGUAGES, ("tk", "Türkmençe")]
    assert catalogue_problems() == ["no catalogue for the language 'tk'"]
    settings.STATIC_ROOT = tmp_path
    assert "static files are not collected" in static_problems()[0]
    (tmp_path / "staticfiles.json").write_text('{"paths": {"dalil/dalil.css": "dalil/dalil.0123456789ab.css"}, "version": "1.1"}')
    assert "newer than the last build" in static_problems()[0]
