"""Audit the pinned dependencies for known vulnerabilities (pip-audit), tolerant of being offline.

    .venv/bin/python .ci/dep_audit.py [requirements.txt ...]

Fails (exit 1) when a pinned package has a known vulnerability. When the vulnerability data cannot be
reached (no network, a mirror without PyPI's JSON API), it says so loudly and how many packages went
unaudited, and passes: a CI run without network is reported, not hidden, and not mistaken for a clean
audit. DALIL_DEP_AUDIT_STRICT=true turns "could not audit" into a failure too.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"


def audit(requirement_files: list[str]) -> tuple[list[str], list[str], str]:
    """(vulnerable lines, unaudited package names, error text) of one pip-audit run."""
    args = [str(PIP_AUDIT), "--no-deps", "--disable-pip", "--progress-spinner", "off", "-f", "json"]
    for name in requirement_files:
        args += ["-r", name]
    try:
        result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return [], [], "pip-audit did not finish in 300 s"
    try:
        report = json.loads(result.stdout)
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [], [], f"pip-audit could not run: {last}"
    vulnerable, unaudited = [], []
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            unaudited.append(dep["name"])
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            vulnerable.append(f"{dep['name']} {dep.get('version', '')}: {vuln['id']} (fixed in {fixed})")
    return vulnerable, unaudited, ""


def main() -> int:
    files = sys.argv[1:] or [p for p in ("requirements.txt", "requirements-dev.txt") if (ROOT / p).exists()]
    strict = os.environ.get("DALIL_DEP_AUDIT_STRICT", "").lower() in {"1", "true", "yes"}
    vulnerable, unaudited, error = audit(files)
    for line in vulnerable:
        print(f"VULNERABLE  {line}")
    if error or unaudited:
        what = error or f"{len(unaudited)} package(s) could not be audited (the vulnerability data was not reachable)"
        print(f"DEPENDENCY AUDIT INCOMPLETE: {what}. This run says nothing about those packages.")
        if unaudited:
            print("  not audited: " + ", ".join(sorted(unaudited)[:12]) + (" …" if len(unaudited) > 12 else ""))
    if vulnerable:
        return 1
    if (error or unaudited) and strict:
        return 1
    if not error and not unaudited:
        print(f"dependency audit: no known vulnerability in {', '.join(files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
