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

    Configured keys only: with none, development keys are made on first use, and a production install with
    no KEK yet can still run ``keys_generate`` (the first use and ``prod_check`` say what is missing). Keys in
    the layout before purposes only warn here, so that ``repair_key_purposes`` can run.
    """
    from keys import ring

    if keyfile.legacy_files() and not settings.TESTING:
        warnings.warn(str(_legacy_error()), stacklevel=2)
    if not ring.configured():
        return  # development keys are made on first use, not by every command (keys_generate, collectstatic)
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


def key_status() -> list[dict]:
    """Where each key purpose's key comes from, for `prod_check`: one dict per purpose, nothing made on the way.

    ``source`` is "configured", "kms", "development" or "missing"; ``error`` is one line (a key of another purpose,
    a malformed line, the layout before purposes) or "". Development keys must not serve a production install.
    """
    from keys import ring
    from keys.purposes import KEY_PURPOSES, KEK

    legacy = str(_legacy_error()) if keyfile.legacy_files() else ""
    report = []
    for purpose in KEY_PURPOSES.values():
        error, key_id = legacy, ""
        if purpose is KEK:
            configured = ring.configured()
            source = "kms" if settings.DALIL_KMS_KEY_ID else "configured" if configured else "missing"
            if configured and not error:
                try:
                    key_id = ring.current_kek_id()
                    source = "development" if ring.uses_development_key() else source
                except (ImproperlyConfigured, ring.KeyUnavailable) as exc:
                    error = str(exc)
        else:
            text = str(getattr(settings, purpose.setting) or "").strip()
            source = "configured" if text else "missing"
            if text and not error:
                try:
                    key_id = keyfile.parse(text, purpose=purpose, where=purpose.setting).id
                except ImproperlyConfigured as exc:
                    error = str(exc)
        if source == "missing" and keyfile.dev_folder(purpose).is_dir() and keyfile.key_files(keyfile.dev_folder(purpose)):
            source = "development"
        report.append({"purpose": purpose.name, "source": source, "key_id": key_id, "error": error})
    return report
