"""The layers point one way (docs/architecture.md): keys <- audit <- accounts <- cases <- evidence <- the apps above.

Every import of an app's code, at the top of a module or inside a function, is read from the source: a lower layer
that imports a higher one fails here. An app above reaches below through registries filled in its AppConfig.ready()
(cases.sections, cases.list_filters, accounts.sections, audit.selectors.audit_rows_register,
audit.denials.denial_case_lookup_register).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"keys": 0, "audit": 1, "accounts": 2, "cases": 3, "evidence": 4}
ABOVE = ("casework", "retention", "referrals", "patterns", "intake", "api", "ops")  # the apps that serve a user's work
LAYERS.update(dict.fromkeys(ABOVE, 5))
# Usable by every layer, so they import no app themselves.
FOUNDATION = ("common",)

# Known upward imports still to be moved, each with its reason. The list only shrinks.
KNOWN: dict[tuple[str, str], str] = {}


def _imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _upward_imports() -> set[tuple[str, str]]:
    found = set()
    for app in (*LAYERS, *FOUNDATION):
        for path in sorted((ROOT / app).rglob("*.py")):
            for imported in _imported_apps(path) - {app}:
                if imported in LAYERS and (app in FOUNDATION or LAYERS[imported] > LAYERS[app]):
                    found.add((str(path.relative_to(ROOT)), imported))
    return found


def test_no_layer_imports_a_layer_above_it():
    upward = _upward_imports() - KNOWN.keys()
    assert not upward, "lower layers importing higher ones (docs/architecture.md): " + ", ".join(
        f"{path} imports {app}" for path, app in sorted(upward))


def test_the_known_exceptions_are_still_needed():
    """An exception that no longer holds is removed from KNOWN, so the list only shrinks."""
    assert set(KNOWN) <= _upward_imports()


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    layered = {*LAYERS, *FOUNDATION}  # common is an app for its one model (the idempotency record), below every layer
    assert apps <= layered, f"add to tests/test_layers.py (and docs/architecture.md): {sorted(apps - layered)}"
