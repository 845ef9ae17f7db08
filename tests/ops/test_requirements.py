"""Runtime and development dependencies apart, both locked with hashes from their .in files."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {p.parent.name for p in ROOT.glob("*/__init__.py")}
APP_PACKAGES = sorted(OURS - {"tests", "bench", "smoke"})  # what gunicorn, the worker and beat import
TEST_TOOLS = {"moto", "schemathesis", "playwright", "flask", "docker", "cfn-lint", "pytest", "pytest-django",
              "hypothesis", "factory-boy", "faker", "responses", "bandit", "pip-audit", "pip-tools", "werkzeug"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(path: Path) -> dict[str, str]:
    """name -> the text of its requirement (with its continuation lines) in a lock file."""
    entries, current = {}, None
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==(\S+)", line)
        if match:
            current = _norm(match.group(1))
            entries[current] = line
        elif current and line.startswith("    "):
            entries[current] += "\n" + line
        else:
            current = None
    return entries


def test_the_production_install_pulls_no_test_tools():
    runtime = pinned(ROOT / "requirements.txt")
    assert not TEST_TOOLS & set(runtime), sorted(TEST_TOOLS & set(runtime))


def test_both_locks_pin_every_package_with_a_hash():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        entries = pinned(ROOT / lock)
        assert entries, lock
        unhashed = [name for name, text in entries.items() if "--hash=sha256:" not in text]
        assert not unhashed, f"{lock}: {unhashed} have no hash: run `make lock`"


def test_every_direct_requirement_is_in_its_lock():
    for source, lock in (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")):
        locked = pinned(ROOT / lock)
        for line in (ROOT / source).read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)(?:\[[^\]]*\])?==(\S+)", line)
            if match:
                name, version = _norm(match.group(1)), match.group(2)
                assert name in locked and f"=={version}" in locked[name], f"{name}=={version} of {source} is not locked: run `make lock`"


def _imports(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_what_the_processes_import_comes_from_the_runtime_set():
    runtime = set(pinned(ROOT / "requirements.txt"))
    providers = importlib.metadata.packages_distributions()
    missing = []
    for package in APP_PACKAGES:
        for module in sorted(_imports(package) - OURS - set(sys.stdlib_module_names) - {"__future__"}):
            dists = {_norm(d) for d in providers.get(module, [])}
            if not dists & runtime:
                missing.append(f"{package} imports {module} ({', '.join(sorted(dists)) or 'not installed'})")
    assert not missing, "add to requirements.in and run `make lock`:\n" + "\n".join(missing)
