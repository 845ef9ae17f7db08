"""Sealing one value with AES-256-GCM, bound to the row and column it belongs to (docs/data-protection.md).

A sealed value is text in this versioned format::

    "dp1:" + base64url( key_id (8 bytes, big-endian) || nonce (12 bytes) || ciphertext || tag (16 bytes) )

* ``key_id`` names a row of the key table (``keys.ProtectionKey``): one random 256-bit key per
  column, wrapped by the key-encryption key of the key ring (keys/ring.py).
* The associated data is ``b"dp1" 0x1f model label 0x1f field name 0x1f primary key``, so a
  ciphertext copied into another row or another column does not open: it raises
  ``ProtectedValueError`` naming the model, field and row, and never shows the other value.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from django.core.exceptions import FieldError

from keys.store import cipher, current_key, key_by_id

PREFIX = "dp1:"
_AD_VERSION = b"dp1"
_SEP = b"\x1f"
_KEY_ID_BYTES = 8
_NONCE_BYTES = 12


class ProtectedValueError(Exception):
    """A sealed value does not open for the row and column it sits in (moved, altered, or a wrong key)."""


class ProtectedFieldError(FieldError):
    """A query or write that cannot work on an encrypted column."""


class Sealed:
    """A value as stored, not yet opened (what values()/values_list() return for a protected field)."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"

    def __str__(self) -> str:
        return "[encrypted]"

    def __eq__(self, other):
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self):
        return hash(self.token)


def _associated_data(model_label: str, field_name: str, pk) -> bytes:
    return _SEP.join((_AD_VERSION, model_label.encode(), field_name.encode(), str(pk).encode()))


def seal_text(plaintext: str, *, model_label: str, field_name: str, pk) -> str:
    """The sealed form of ``plaintext`` for this row and column; ``pk`` must be known (UUIDs made in Python)."""
    if pk is None:
        raise ProtectedFieldError(f"{model_label}.{field_name}: a row needs its primary key before a value can be sealed.")
    key_id, key = current_key("field", f"{model_label}.{field_name}")
    nonce = secrets.token_bytes(_NONCE_BYTES)
    body = cipher(key_id, key).encrypt(nonce, plaintext.encode("utf-8"), _associated_data(model_label, field_name, pk))
    blob = key_id.to_bytes(_KEY_ID_BYTES, "big") + nonce + body
    return PREFIX + base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def open_text(token: str, *, model_label: str, field_name: str, pk) -> str:
    where = f"{model_label}.{field_name} of row {pk}"
    if not token.startswith(PREFIX):
        raise ProtectedValueError(f"{where} holds an unsealed value: run `manage.py migrate` (or protect_data) to encrypt it.")
    try:
        blob = base64.urlsafe_b64decode(token[len(PREFIX):] + "=" * (-len(token) % 4))
    except ValueError:
        raise ProtectedValueError(f"{where} is not a well-formed sealed value.") from None
    if len(blob) < _KEY_ID_BYTES + _NONCE_BYTES + 16:
        raise ProtectedValueError(f"{where} is not a well-formed sealed value.")
    key_id = int.from_bytes(blob[:_KEY_ID_BYTES], "big")
    key = key_by_id(key_id)
    if key is None:
        raise ProtectedValueError(f"{where} was sealed under field key {key_id}, which is not in the key table.")
    nonce, body = blob[_KEY_ID_BYTES:_KEY_ID_BYTES + _NONCE_BYTES], blob[_KEY_ID_BYTES + _NONCE_BYTES:]
    try:
        return cipher(key_id, key).decrypt(nonce, body, _associated_data(model_label, field_name, pk)).decode("utf-8")
    except InvalidTag:
        raise ProtectedValueError(
            f"{where} does not decrypt: the value was sealed for another row or column, or was altered."
        ) from None
