"""Start-up and system checks: the keys this installation needs are there and open what is stored."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def startup_check() -> None:
    """Raise ImproperlyConfigured (one line) unless the newest KEK can wrap and unwrap."""
    from keys import ring

    ring.check_keys()


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
