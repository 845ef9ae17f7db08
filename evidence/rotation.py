"""Key rotation: every registered re-wrapper moves its data keys under the newest KEK.

Re-wrapping never touches content. Each re-wrapper works row by row and skips
rows already under the newest key, so running it twice, or again after an
interruption, is safe and finishes the job.
"""

from collections.abc import Callable

from evidence import keyring


def rotate_all(*, progress: Callable | None = None) -> dict:
    import evidence.services  # noqa: F401 - registers the evidence re-wrapper

    report = {"kek_id": keyring.current_kek_id(), "rewrapped": {}}
    for rewrapper in keyring.rewrappers():
        name = f"{rewrapper.__module__}.{rewrapper.__qualname__}"
        count = rewrapper(progress=progress or (lambda done, total, label: None))
        report["rewrapped"][name] = count if isinstance(count, int) else None
    return report
