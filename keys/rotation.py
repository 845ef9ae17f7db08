"""Key rotation: every registered re-wrapper moves the data keys it owns under the newest KEK.

Re-wrapping never touches content. Each re-wrapper works row by row and skips rows already under the
newest key, so running it twice, or again after an interruption, is safe and finishes the job. Apps
register their re-wrappers in their AppConfig.ready(), so this layer needs to know none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from keys import ring

_rewrappers: list[Callable] = []


def register_rewrapper(func: Callable) -> Callable:
    """Register ``func(*, progress)`` to re-wrap everything it owns under the newest KEK, resumably.

    ``progress(done: int, total: int, label: str)`` may be called to report. Usable as a decorator.
    """
    if func not in _rewrappers:
        _rewrappers.append(func)
    return func


def unregister_rewrapper(func: Callable) -> None:
    if func in _rewrappers:
        _rewrappers.remove(func)


def rewrappers() -> list[Callable]:
    return list(_rewrappers)


def rotate_all(*, progress: Callable | None = None) -> dict:
    """Run every re-wrapper; the report names the wrapping KEK and how many keys each re-wrapped."""
    report = {"kek_id": ring.current_kek_id(), "rewrapped": {}}
    for rewrapper in rewrappers():
        name = f"{rewrapper.__module__}.{rewrapper.__qualname__}"
        count = rewrapper(progress=progress or (lambda done, total, label: None))
        report["rewrapped"][name] = count if isinstance(count, int) else None
    return report
