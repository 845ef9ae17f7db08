"""The key table: one random 256-bit key per protected column and per blind index, wrapped by the key ring.

Rows live in ``keys.ProtectionKey``; a key is made (and wrapped by the newest KEK) on first use and kept in
memory once unwrapped. ``rotate_keys`` re-wraps the rows; the keys themselves, and so every sealed value and
index entry, stay as they are.
"""

from __future__ import annotations

import secrets
import threading

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from keys import purposes, ring

_lock = threading.Lock()
_material: dict[int, bytes] = {}  # key id -> plaintext key; ids are random, so an entry never goes stale
_current: dict[str, int] = {}  # key label -> key id, filled only after the key row has committed
_ciphers: dict[int, AESGCM] = {}  # key id -> its AESGCM, made once (building one costs more than a short seal)


def _context(row_purpose: str, label: str) -> bytes:
    return purposes.key_context(purposes.DATA_KEY_PURPOSES[row_purpose], label)


def forget_keys() -> None:
    """Drop cached keys (tests that flush the key table, or after restoring a database)."""
    with _lock:
        _material.clear()
        _current.clear()
        _ciphers.clear()


def _unwrap_row(row) -> bytes:
    try:
        key = ring.unwrap(row.kek_id, bytes(row.wrapped), context=_context(row.purpose, row.label))
    except ring.KeyUnavailable as exc:
        raise ImproperlyConfigured(
            f"The {row.purpose} key for {row.label} cannot be unwrapped ({exc}): configure the key-encryption keys "
            "this database was sealed with (DALIL_KEK, DALIL_KEK_FILE, DALIL_KEK_DIR or DALIL_KMS_KEY_ID)."
        ) from None
    with _lock:
        _material[row.pk] = key
    return key


def key_by_id(key_id: int) -> bytes | None:
    key = _material.get(key_id)
    if key is not None:
        return key
    from keys.models import ProtectionKey

    row = ProtectionKey.objects.filter(pk=key_id).first()
    return _unwrap_row(row) if row is not None else None


def current_key(purpose: str, label: str) -> tuple[int, bytes]:
    """The key for a column ("field") or an index ("index"), made and wrapped by the newest KEK on first use."""
    key_id = _current.get(label)
    if key_id is not None and key_id in _material:
        return key_id, _material[key_id]
    from keys.models import ProtectionKey

    row = ProtectionKey.objects.filter(label=label).first()
    if row is None:
        key, kek_id, wrapped = ring.generate_data_key(context=_context(purpose, label))
        try:
            with transaction.atomic():
                row = ProtectionKey.objects.create(
                    id=secrets.randbits(63), purpose=purpose, label=label, kek_id=kek_id, wrapped=wrapped
                )
        except IntegrityError:
            # Another process made this key first: use theirs.
            row = ProtectionKey.objects.get(label=label)
        else:
            with _lock:
                _material[row.pk] = key
    if row.pk not in _material:
        _unwrap_row(row)
    # Only a committed key row may be remembered: a rolled-back one would leave values sealed under a lost key.
    transaction.on_commit(lambda: _current.__setitem__(label, row.pk))
    return row.pk, _material[row.pk]


def cipher(key_id: int, key: bytes) -> AESGCM:
    found = _ciphers.get(key_id)
    if found is None:
        found = _ciphers[key_id] = AESGCM(key)
    return found


def rewrap_protection_keys(*, progress=None) -> int:
    """Re-wrap every field and index key not yet under the newest KEK (a rotate_keys re-wrapper; resumable).

    Returns how many keys this run re-wrapped (0 when all are under the newest KEK already).
    """
    from keys.models import ProtectionKey

    newest = ring.current_kek_id()
    total = ProtectionKey.objects.count()
    done = ProtectionKey.objects.filter(kek_id=newest).count()
    rewrapped = 0
    for key_id in ProtectionKey.objects.exclude(kek_id=newest).order_by("pk").values_list("pk", flat=True):
        # One short transaction per key: a crash leaves every key wrapped by one KEK or the other, never neither.
        with transaction.atomic():
            row = ProtectionKey.objects.select_for_update().get(pk=key_id)
            try:
                row.kek_id, wrapped = ring.rewrap(row.kek_id, bytes(row.wrapped), context=_context(row.purpose, row.label))
            except ring.KeyUnavailable as exc:
                raise ImproperlyConfigured(f"The {row.purpose} key for {row.label} cannot be re-wrapped: {exc}.") from None
            row.wrapped = wrapped
            row.rewrapped_at = timezone.now()
            row.save(update_fields=["kek_id", "wrapped", "rewrapped_at"])
        done += 1
        rewrapped += 1
        if progress:
            progress(done, total, "protected field and index keys")
    return rewrapped


def verify_protection_keys() -> None:
    """Raise ImproperlyConfigured (one line) unless every stored field and index key unwraps with the key ring."""
    from keys.models import ProtectionKey

    for row in ProtectionKey.objects.all():
        _unwrap_row(row)
