"""One user action, one transaction: services that compose (as Zulip's zerver/actions do).

A public service is decorated with ``@service``. Called on its own, it is its own durable transaction, as every
service was before. Called inside ``with user_action():`` (one per user action that needs several services:
triaging a family report, confirming a list match), it joins that action's transaction without a savepoint, so
the action commits whole or not at all, with all its audit events.

Work outside the database that a service does before its transaction ends (an encrypted blob written to storage)
registers an undo with ``on_rollback``; the action runs it if it fails, so nothing is left half-made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_undo: ContextVar[list[Callable[[], None]] | None] = ContextVar("dalil_user_action", default=None)


def in_user_action() -> bool:
    return _undo.get() is not None


def service(func):
    """Durable on its own; part of the caller's transaction inside ``user_action()``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if in_user_action():
            with transaction.atomic(savepoint=False):
                return func(*args, **kwargs)
        with transaction.atomic(durable=True):
            return func(*args, **kwargs)

    return wrapper


@contextmanager
def user_action():
    """The one transaction of a user action; the undo steps registered inside run if it fails."""
    if in_user_action():
        raise RuntimeError("user_action() does not nest: one user action is one transaction")
    undo: list[Callable[[], None]] = []
    token = _undo.set(undo)
    try:
        with transaction.atomic(durable=True):
            yield
    except BaseException:
        for step in reversed(undo):
            step()
        raise
    finally:
        _undo.reset(token)


def on_rollback(step: Callable[[], None]) -> None:
    """Undo `step` if the surrounding user action fails (outside one, the caller cleans up itself)."""
    undo = _undo.get()
    if undo is not None:
        undo.append(step)
