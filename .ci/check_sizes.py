"""Fail when a module grows past 400 lines or a function past 60, outside migrations and tests.

    python .ci/check_sizes.py            # lists every breach, exit 1 if any is not excepted

Long modules and functions are where rules hide twice; the limit makes a newcomer's reading short.
An exception is a line in .ci/size-exceptions.txt: `path[:function]  reason` (the reason is required).
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
SKIPPED_PARTS = {"migrations", "tests"}


def tracked_python_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines()
            if line and not SKIPPED_PARTS & set(Path(line).parts) and (ROOT / line).exists()]


def exceptions() -> dict[str, str]:
    listed = {}
    path = ROOT / ".ci" / "size-exceptions.txt"
    for raw in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f".ci/size-exceptions.txt: {where} has no reason")
        listed[where] = reason.strip()
    return listed


def breaches(path: Path) -> list[tuple[str, str]]:
    rel = path.relative_to(ROOT).as_posix()
    text = path.read_text(encoding="utf-8")
    found = []
    lines = len(text.splitlines())
    if lines > MAX_FILE_LINES:
        found.append((rel, f"{rel}: {lines} lines (limit {MAX_FILE_LINES})"))
    for node in ast.walk(ast.parse(text, filename=rel)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            length = node.end_lineno - first + 1
            if length > MAX_FUNCTION_LINES:
                found.append((f"{rel}:{node.name}",
                              f"{rel}:{node.lineno} {node.name}: {length} lines (limit {MAX_FUNCTION_LINES})"))
    return found


def main() -> int:
    allowed = exceptions()
    failed = 0
    for path in tracked_python_files():
        for key, message in breaches(path):
            if key in allowed:
                continue
            print(message)
            failed += 1
    print(f"{failed} size breach(es)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
