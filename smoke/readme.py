"""The README's production steps, read out of README.md so that the smoke run and the README cannot drift apart.

Each step is a `### N. Title` heading under `## Production` followed by one ```sh block. The smoke run
substitutes the example host names, paths and ports with its own throw-away ones (`Substitutions`) and
runs the blocks in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The order an operator must follow: the build before any manage.py command, the key files before the
# environment names them (settings read every *_FILE they name), roles before migrate, the grants after migrate, prod_check once the processes run.
STEP_TITLES = (
    "Install and build",
    "The secret and the key files",
    "The environment",
    "Database roles",
    "Migrations",
    "The first admin",
    "The processes",
    "Check",
)
_HEADING = re.compile(r"^### (\d+)\. (.+)$", re.M)
_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    code: str


def production_steps(text: str | None = None) -> list[Step]:
    text = README.read_text(encoding="utf-8") if text is None else text
    start = text.index("\n## Production")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else len(text)]
    headings = list(_HEADING.finditer(section))
    steps = []
    for index, heading in enumerate(headings):
        body = section[heading.end() : headings[index + 1].start() if index + 1 < len(headings) else len(section)]
        block = _BLOCK.search(body)
        if block is None:
            raise ValueError(f"README step {heading.group(1)} ({heading.group(2)}) has no ```sh block")
        steps.append(Step(int(heading.group(1)), heading.group(2).strip(), block.group(1)))
    return steps


def step(steps: list[Step], title: str) -> Step:
    return next(s for s in steps if s.title == title)


@dataclass
class Substitutions:
    """The README's example values and the smoke run's throw-away ones."""

    etc: Path
    data: Path
    backups: Path
    https_origin: str  # https://localhost:<nginx port>
    redis: str  # 127.0.0.1:<port>
    gunicorn: str  # 127.0.0.1:<port>
    run_id: str

    def apply(self, code: str) -> str:
        pairs = [
            ("/opt/dalil", str(ROOT)),
            ("/etc/dalil", str(self.etc)),
            ("/var/lib/dalil", str(self.data)),
            ("/var/backups/dalil", str(self.backups)),
            ("https://dalil.example.org", self.https_origin),
            ("dalil.example.org", "localhost"),
            ("db.internal", "127.0.0.1"),
            ("redis.internal:6379", self.redis),
            ("127.0.0.1:8001", self.gunicorn),
            ("dalil_owner", f"smoke_owner_{self.run_id}"),
            ("dalil_app", f"smoke_app_{self.run_id}"),
        ]
        for old, new in pairs:
            code = code.replace(old, new)
        return re.sub(r"(5432/|DATABASE )dalil\b", rf"\g<1>{self.database}", code)

    @property
    def database(self) -> str:
        return f"smoke_{self.run_id}"

    @property
    def roles(self) -> tuple[str, str]:
        return f"smoke_owner_{self.run_id}", f"smoke_app_{self.run_id}"
