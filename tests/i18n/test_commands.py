"""Management commands speak the active language: their output, errors and help are in the catalogue."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_escrow_split_speaks_russian(tmp_path):
    key = tmp_path / "kek.key"
    key.write_bytes(b"k" * 32)
    with translation.override("ru"):
        out, err = _run("escrow_split", str(key), shares=3, threshold=2)
    assert "Долей: 3; любые 2 восстанавливают ключ" in err
    assert len(out.splitlines()) == 3
    # English is unchanged.
    out, err = _run("escrow_split", str(key), shares=3, threshold=2)
    assert "3 shares; any 2 rebuild the key" in err


def test_escrow_errors_are_translated(tmp_path):
    with translation.override("ru"), pytest.raises(CommandError, match="не удаётся прочитать"):
        _run("escrow_split", str(tmp_path / "missing.key"))
    empty = tmp_path / "empty.key"
    empty.write_bytes(b"")
    with translation.override("ru"), pytest.raises(CommandError, match="файл ключа пуст"):
        _run("escrow_split", str(empty))


def test_match_lists_errors_and_help_in_russian(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text("id,name\n1,Ivan Petrov\n", encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text("code,title\n1,Ivan Petrov\n", encoding="utf-8")
    with translation.override("ru"):
        with pytest.raises(CommandError, match="в заголовке нет столбцов id, name"):
            _run("match_lists", str(good), str(bad))
        with pytest.raises(CommandError, match="--min-score должен быть от 0 до 100"):
            _run("match_lists", str(good), str(good), min_score=101)
        from django.core.management import load_command_class

        parser = load_command_class("patterns", "match_lists").create_parser("manage.py", "match_lists")
        assert "Сопоставить имена" in parser.format_help()
    out, _err = _run("match_lists", str(good), str(good))
    assert '"a": "1"' in out


def test_verify_audit_speaks_russian(db):
    with translation.override("ru"):
        out, _err = _run("verify_audit", no_stored=True)
    assert out.startswith("OK: проверено событий: 0")
    out, _err = _run("verify_audit", no_stored=True)
    assert out.startswith("OK: 0 events verified")


# A message given as a bare string literal (not through gettext) to the command's output or a CommandError.
# An f-string on stdout may be data (a hash, a JSON line); in a CommandError it is a message.
CALL = re.compile(
    r"""(?P<call>self\.std(?:out|err)\.write|CommandError)\(\s*(?:self\.style\.\w+\(\s*)?"""
    r"""(?P<prefix>[rbfRBF]*)(?P<quote>["'])(?P<body>.*?)(?P=quote)"""
)


def unmarked(line: str) -> bool:
    for match in CALL.finditer(line):
        words = re.sub(r"\{[^}]*\}", "", match["body"]) if "f" in match["prefix"].lower() else match["body"]
        if not re.search(r"[A-Za-z]{2}", words):
            continue  # "" or f"{path}: {exc}": nothing to translate
        if match["call"] == "CommandError" or "f" not in match["prefix"].lower():
            return True
    return False


def test_every_command_message_is_marked_for_translation():
    offenders = []
    for path in sorted(ROOT.glob("*/management/commands/*.py")):
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if unmarked(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "messages not wrapped in gettext:\n" + "\n".join(offenders)


def test_the_scan_catches_an_unmarked_message():
    assert unmarked('self.stdout.write("Done.")')
    assert unmarked('self.stderr.write("Done.")')
    assert unmarked('raise CommandError(f"{path}: no such file")')
    assert unmarked('raise CommandError("no such file")')
    assert unmarked('self.stdout.write(self.style.SUCCESS("Done."))')
    assert not unmarked('self.stdout.write(_("Done."))')
    assert not unmarked('raise CommandError(_("%(path)s: no such file") % {"path": path})')
    assert not unmarked("raise CommandError(str(exc))")
    assert not unmarked('raise CommandError(f"{path}: {exc}")')
    assert not unmarked('self.stdout.write("")')


def test_every_command_help_renders_in_russian():
    """argparse needs plain strings: a lazy `help` would break `manage.py CMD --help`."""
    from django.core.management import load_command_class

    for path in sorted(ROOT.glob("*/management/commands/*.py")):
        if path.name == "__init__.py" or ".venv" in path.parts:
            continue
        command = load_command_class(path.parts[-4], path.stem)
        with translation.override("ru"):
            text = command.create_parser("manage.py", path.stem).format_help()
        assert text, path
