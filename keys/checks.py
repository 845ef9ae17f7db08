"""Start-up and system checks: the keys this installation needs are there, of the right purpose, and open what is stored."""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from keys import keyfile


def startup_check() -> None:
    """Raise ImproperlyConfigured (one line) unless the newest KEK can wrap and unwrap.

    Two states start anyway, so that the commands that cure them can run: keys in the layout before
    purposes (``repair_key_purposes``; the ring refuses every use until then), and a production install
    with no KEK yet (``keys_generate``; the first use, ``check`` and ``prod_check`` say what is missing).
    """
    from keys import ring

    if keyfile.legacy_files() and not settings.TESTING:
        warnings.warn(str(_legacy_error()), stacklevel=2)
        return
    if not ring.configured() and not keyfile.dev_allowed():
        return
    ring.check_keys()


def _legacy_error() -> ImproperlyConfigured:
    try:
        keyfile.refuse_legacy_layout()
    except ImproperlyConfigured as exc:
        return exc
    return ImproperlyConfigured("")


def check_key_layout(app_configs=None, **kwargs):
    """`manage.py check`: keys in the layout before purposes must be repaired; until then the key ring refuses.

    A warning, not an error, so that `check` (and every command) still runs beside the repair.
    """
    if keyfile.legacy_files() and not settings.TESTING:
        return [checks.Warning(str(_legacy_error()), id="keys.W002")]
    return []


def check_protection_keys(app_configs=None, databases=None, **kwargs):
    """`manage.py check --database default` (and migrate): every stored field key opens with the configured KEKs."""
    from keys.store import verify_protection_keys

    if not databases or "default" not in databases:
        return []
    try:
        verify_protection_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="keys.E001")]
    except DatabaseError:
        return []  # not migrated yet: nothing sealed, nothing to check
    return []
