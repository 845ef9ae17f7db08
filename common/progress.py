"""Progress of long work (rotation, key repair) on a command's standard output."""

from __future__ import annotations

from collections.abc import Callable


def printed_progress(write: Callable[[str], object], *, every: int = 100) -> Callable[[int, int, str], None]:
    """A `progress(done, total, label)` callback that writes "  label: done/total" every `every` items and at the
    end, each count once."""
    last: dict[str, int] = {}

    def progress(done: int, total: int, label: str) -> None:
        if total and (done == total or done % every == 0) and last.get(label) != done:
            last[label] = done
            write(f"  {label}: {done}/{total}")

    return progress
