"""The two audit keys, both kept outside the database, each a key file of its own purpose (keys/keyfile.py).

* The chain key (purpose ``audit-chain``; ``DALIL_AUDIT_KEY`` or ``DALIL_AUDIT_KEY_FILE``): 32 random bytes.
  It keys the HMAC-SHA256 chain, so that someone who can write to the database but does not hold it cannot
  edit, insert, delete or reorder events unseen.
* The checkpoint signing key (purpose ``audit-signing``; ``DALIL_AUDIT_SIGNING_KEY`` or ``..._FILE``): the
  32-byte Ed25519 seed. Signed checkpoints catch even someone who holds the chain key.

Both are made with ``manage.py keys_generate``. With neither set, development keys are made under
``<data dir>/keys/<purpose>/`` with a warning; a production install (debug off, a real database, not
testing) must bring its own and fails with one clear line.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from audit.proofs import key_id
from keys import keyfile
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING


def audit_key() -> bytes:
    """The HMAC key of the event chain."""
    return keyfile.load(AUDIT_CHAIN).material


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key that signs checkpoints."""
    return Ed25519PrivateKey.from_private_bytes(keyfile.load(AUDIT_SIGNING).material)


def origin() -> str:
    """The checkpoint origin line, also the note key name."""
    name = settings.DALIL_AUDIT_ORIGIN or "dalil.invalid/audit"
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
