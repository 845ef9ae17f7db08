"""The two audit keys, both kept outside the database.

* The chain key (``DALIL_AUDIT_KEY`` or ``DALIL_AUDIT_KEY_FILE``): 32+ bytes as base64 or hex. It keys the
  HMAC-SHA256 chain, so that someone who can write to the database but does not hold it cannot edit,
  insert, delete or reorder events unseen.
* The checkpoint signing key (``DALIL_AUDIT_SIGNING_KEY`` or ``..._FILE``): an Ed25519 private key as
  base64 of its 32-byte seed, or a PKCS#8 PEM. Signed checkpoints catch even someone who holds the chain key.

With neither set, development keys are made under ``<data dir>/keys/`` with a warning; a production
install (debug off, a real database, not testing) must bring its own and fails with one clear line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import threading
import warnings
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from audit.proofs import key_id

_lock = threading.Lock()


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    return str(value).strip() if value else ""


def _dev_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "EMBEDDED", False) or getattr(settings, "TESTING", False))


def _dev_key_file(name: str, make) -> str:
    path = Path(settings.DATA_DIR) / "keys" / name
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return path.read_text().strip()
            with os.fdopen(fd, "w") as fh:
                fh.write(make())
            if not getattr(settings, "TESTING", False):
                warnings.warn(f"No audit key configured: made a development key at {path}. Never use it in production.")
    return path.read_text().strip()


def _decode_secret(text: str, *, name: str) -> bytes:
    text = text.strip()
    try:
        if len(text) in (64, 128) and all(c in "0123456789abcdefABCDEF" for c in text):
            raw = bytes.fromhex(text)
        else:
            raw = base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True)
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(f"{name} must be base64 or hex") from None
    return raw


@lru_cache(maxsize=8)
def _audit_key(text: str) -> bytes:
    raw = _decode_secret(text, name="DALIL_AUDIT_KEY")
    if len(raw) < 32:
        raise ImproperlyConfigured("DALIL_AUDIT_KEY must hold at least 32 bytes (base64 or hex)")
    return raw


def audit_key() -> bytes:
    """The HMAC key of the event chain."""
    text = _setting("DALIL_AUDIT_KEY")
    if not text:
        if not _dev_allowed():
            raise ImproperlyConfigured("DALIL_AUDIT_KEY (or DALIL_AUDIT_KEY_FILE) must be set when DALIL_DEBUG is off.")
        text = _dev_key_file("audit-chain.key", lambda: base64.b64encode(secrets.token_bytes(32)).decode())
    return _audit_key(text)


@lru_cache(maxsize=8)
def _signing_key(text: str) -> Ed25519PrivateKey:
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except ValueError:
            raise ImproperlyConfigured("DALIL_AUDIT_SIGNING_KEY is not a readable PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("DALIL_AUDIT_SIGNING_KEY must be an Ed25519 key")
        return key
    raw = _decode_secret(text, name="DALIL_AUDIT_SIGNING_KEY")
    if len(raw) != 32:
        raise ImproperlyConfigured("DALIL_AUDIT_SIGNING_KEY must be the 32-byte Ed25519 seed (base64 or hex) or a PEM")
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key that signs checkpoints."""
    text = _setting("DALIL_AUDIT_SIGNING_KEY")
    if not text:
        if not _dev_allowed():
            raise ImproperlyConfigured(
                "DALIL_AUDIT_SIGNING_KEY (or DALIL_AUDIT_SIGNING_KEY_FILE) must be set when DALIL_DEBUG is off."
            )
        text = _dev_key_file("audit-signing.key", lambda: base64.b64encode(secrets.token_bytes(32)).decode())
    return _signing_key(text)


def origin() -> str:
    """The checkpoint origin line, also the note key name."""
    name = _setting("DALIL_AUDIT_ORIGIN") or "dalil.invalid/audit"
    if any(c.isspace() for c in name) or "+" in name:
        raise ImproperlyConfigured("DALIL_AUDIT_ORIGIN must not contain spaces or '+'")
    return name


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def verifier_key() -> str:
    """The public verifier key string `<name>+<hex key id>+<base64(0x01 || public key)>` (Go's note.Verifier format)."""
    name = origin()
    public = public_key_bytes(signing_key().public_key())
    encoded = base64.b64encode(b"\x01" + public).decode()
    return f"{name}+{key_id(name, public).hex()}+{encoded}"


def check_keys() -> None:
    """Raise ImproperlyConfigured with one clear line if an audit key is missing or malformed."""
    audit_key()
    signing_key()
    origin()
