"""Every key Dalil holds, and the one job each may do. This is the only list; docs/evidence-format.md describes it.

Two kinds of keys:

* **Key files** (``KeyPurpose``): secrets kept outside the database and the blob store, one purpose each,
  named inside the file (``dalil-key-v1:<purpose>:<id>:<material>``, keys/keyfile.py). A key is refused
  wherever another purpose is expected, so that an audit key copied into the KEK folder, or a KEK file
  named as the signing key, stops the start instead of quietly protecting data.
* **Data keys** (``DataKeyPurpose``): random keys made per record (a file, a column, an index, a backup, a
  package passphrase) and stored wrapped by the key-encryption key. The purpose is the first part of the
  wrapping context (``key_context``), which the wrap authenticates: a wrapped key moved to a record of
  another purpose, or of the same purpose, does not unwrap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyPurpose:
    name: str  # as written in the key file and as the folder name under var/keys/
    title: str  # for messages: "key-encryption key"
    setting: str  # the setting (environment variable) holding the key line itself
    file_setting: str  # the setting naming a file that holds it
    material: str  # "secret" (random bytes), "ed25519-seed" or "age-identity"
    size: int = 32  # bytes of random material (secret, ed25519-seed)


KEK = KeyPurpose("kek", "key-encryption key", "DALIL_KEK", "DALIL_KEK_FILE", "secret")
AUDIT_CHAIN = KeyPurpose("audit-chain", "audit chain key (HMAC)", "DALIL_AUDIT_KEY", "DALIL_AUDIT_KEY_FILE", "secret")
AUDIT_SIGNING = KeyPurpose(
    "audit-signing", "checkpoint signing key (Ed25519)", "DALIL_AUDIT_SIGNING_KEY", "DALIL_AUDIT_SIGNING_KEY_FILE",
    "ed25519-seed",
)
TOKEN_PEPPER = KeyPurpose("token-pepper", "token pepper (HMAC)", "DALIL_TOKEN_PEPPER", "DALIL_TOKEN_PEPPER_FILE", "secret")
INTAKE = KeyPurpose("intake", "intake identity (age X25519)", "DALIL_INTAKE_KEY", "DALIL_INTAKE_KEY_FILE", "age-identity")

KEY_PURPOSES: dict[str, KeyPurpose] = {p.name: p for p in (KEK, AUDIT_CHAIN, AUDIT_SIGNING, TOKEN_PEPPER, INTAKE)}


@dataclass(frozen=True)
class DataKeyPurpose:
    name: str
    prefix: str  # the wrapping context starts with it; kept as it was first written, so old wraps still open


EVIDENCE = DataKeyPurpose("evidence", "dalil.evidence")  # an evidence file or working copy: label and primary key
FIELD = DataKeyPurpose("field", "dalil.field")  # one protected column: its model label and field name
INDEX = DataKeyPurpose("index", "dalil.index")  # one blind index: its name
BACKUP = DataKeyPurpose("backup", "dalil.backup")  # one database dump: the backup id
REFERRAL_PASSPHRASE = DataKeyPurpose("referral-passphrase", "referrals.passphrase")  # referral pk and build id
KEY_CHECK = DataKeyPurpose("check", "dalil.keyring.check")  # the start-up probe, never stored

DATA_KEY_PURPOSES: dict[str, DataKeyPurpose] = {
    p.name: p for p in (EVIDENCE, FIELD, INDEX, BACKUP, REFERRAL_PASSPHRASE, KEY_CHECK)
}


def key_context(purpose: DataKeyPurpose, *parts) -> bytes:
    """The wrapping context of a data key: its purpose, then what it belongs to, joined by ':'."""
    return ":".join((purpose.prefix, *(str(part) for part in parts))).encode()


def purpose_of_context(context: bytes) -> DataKeyPurpose | None:
    """The declared purpose a wrapping context belongs to, or None (the ring refuses such a context)."""
    for purpose in DATA_KEY_PURPOSES.values():
        prefix = purpose.prefix.encode()
        if context == prefix or context.startswith(prefix + b":"):
            return purpose
    return None
