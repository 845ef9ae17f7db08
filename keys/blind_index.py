"""Keyed blind indexes: a truncated HMAC that lets the database find equal values it cannot read.

Each index has its own random 256-bit key (a ``ProtectionKey`` row with purpose "index", wrapped by the
key-encryption key; never an encryption key). An entry is

    value = first `bits` bits of HMAC-SHA256(index key, b"<index>" 0x1f normalised token)

The app that owns an index chooses its name, its normaliser and its width (cases/blind_index.py for people);
docs/data-protection.md gives CipherSweet's sizing rule and what an index leaks.
"""

from __future__ import annotations

import hmac

from keys.store import current_key


def index_key(index: str) -> bytes:
    return current_key("index", f"index:{index}")[1]


def _digest(index: str, token: str, key: bytes | None) -> bytes:
    return hmac.digest(key or index_key(index), index.encode() + b"\x1f" + token.encode("utf-8"), "sha256")


def index_value(index: str, token: str, *, bits: int, key: bytes | None = None) -> int:
    """The index entry of one normalised token: ``bits`` (1..32) leading bits of the keyed HMAC."""
    return int.from_bytes(_digest(index, token, key)[:4], "big") >> (32 - bits)


def identity_token(index: str, token: str, *, key: bytes | None = None) -> str:
    """The whole keyed HMAC in hex: an identity (a record seen again), where a truncated entry would collide."""
    return _digest(index, token, key).hex()
