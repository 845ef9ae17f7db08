"""The key ring: key-encryption keys (KEKs) that wrap per-record data keys.

Evidence files, protected fields, backups and referral passphrases are encrypted under data keys; only the
data keys, wrapped by a KEK, are stored next to the data. A KEK never sits in the database or in the blob
store, so a seized disk or a stolen backup reveals nothing.

Every KEK is a key line of purpose ``kek`` (keys/keyfile.py); a key of another purpose is refused wherever it
is found. Where KEKs come from (all configured keys can unwrap; the newest one wraps):

* ``DALIL_KEK`` - one or more key lines, comma-separated, oldest first.
* ``DALIL_KEK_FILE`` - a key file.
* ``DALIL_KEK_DIR`` - a folder of ``*.key`` files; the most recently modified is the newest.
* ``DALIL_KMS_KEY_ID`` (+ ``DALIL_KMS_ENDPOINT_URL``, ``DALIL_KMS_REGION``) - a KMS key tagged
  ``dalil-purpose=kek`` (keys/kms.py). When set, it is the newest.
* ``DALIL_KEK_CURRENT`` - pick the wrapping key by id explicitly.
* Nothing configured, in development: a key is made under ``<data dir>/keys/kek/`` on first use, with a
  warning. Keys found there stay usable for unwrapping, so that data written in development can be moved to
  a real key with ``rotate_keys``.

Local wrapping is AES-256-GCM: ``0x01 || nonce(12) || ciphertext(32) || tag(16)``, associated data
``b"dalil-kek-v1\\0" || kek_id || b"\\0" || context``. The context (keys.purposes.key_context) binds a wrapped
key to its purpose and record, so a wrapped key copied onto another record does not unwrap. With KMS the
context travels as the KMS encryption context.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from keys import keyfile, kms, purposes
from keys.purposes import KEK

logger = logging.getLogger(__name__)

KEY_BYTES = 32
_WRAP_VERSION = b"\x01"
_WRAP_AD_PREFIX = b"dalil-kek-v1\x00"
_KMS_PREFIX = kms.PREFIX
_CONFIG_NAMES = (
    "DALIL_KEK",
    "DALIL_KEK_FILE",
    "DALIL_KEK_DIR",
    "DALIL_KEK_CURRENT",
    "DALIL_KMS_KEY_ID",
    "DALIL_KMS_ENDPOINT_URL",
    "DALIL_KMS_REGION",
)


class KeyUnavailable(Exception):
    """A key needed to wrap or unwrap is missing, wrong, or its provider cannot be reached."""


# --- configuration --------------------------------------------------------


def _conf(name: str) -> str:
    # Read at call time, so that a test's settings override (or a restart) takes effect.
    return str(getattr(settings, name) or "").strip()


def configured() -> bool:
    """Whether a KEK is configured (rather than left to the development default)."""
    return any(_conf(n) for n in ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KMS_KEY_ID"))


@dataclass(frozen=True)
class _Ring:
    local: dict[str, bytes]  # kek_id -> key, in age order (oldest first)
    development: frozenset  # ids of the development keys among them
    kms_key_id: str
    kms_endpoint: str
    kms_region: str
    current: str  # the id that wraps; "kms:" ids resolve lazily to the key ARN

    @property
    def uses_kms(self) -> bool:
        return bool(self.kms_key_id)


_lock = threading.Lock()
_cache: dict[tuple, _Ring] = {}
# Keys of another purpose that wrapped data before purposes were enforced: usable to unwrap while
# `repair_key_purposes` re-wraps that data, and at no other time (see repair_unwrap_keys).
_repair_keys: dict[str, bytes] = {}


def _signature() -> tuple:
    values = tuple(_conf(n) for n in _CONFIG_NAMES)
    # A new key file in a key folder takes effect without a restart.
    folders = [Path(values[2])] if values[2] else []
    folders.append(keyfile.dev_folder(KEK))
    listing = []
    for folder in folders:
        if folder.is_dir():
            listing.extend((str(p), p.stat().st_mtime_ns) for p in keyfile.key_files(folder))
    return values + (str(keyfile.keys_root()), bool(_repair_keys)) + tuple(listing)


class _Keys(dict):
    """KEKs by id in age order; a later entry of an id moves it to the end (it is the newer)."""

    def add(self, key: keyfile.KeyFile, where: str) -> None:
        if key.id in self and self[key.id] != key.material:
            raise ImproperlyConfigured(f"{where}: two different keys share the id {key.id!r}.")
        self.pop(key.id, None)
        self[key.id] = key.material


def _configured_keys(kek: str, kek_file: str, kek_dir: str, found: _Keys) -> None:
    if kek_dir:
        folder = Path(kek_dir)
        if not folder.is_dir():
            raise ImproperlyConfigured(f"DALIL_KEK_DIR={kek_dir} is not a folder.")
        files = keyfile.key_files(folder)
        if not files:
            raise ImproperlyConfigured(f"DALIL_KEK_DIR={kek_dir} holds no *.key file.")
        for path in files:
            found.add(keyfile.read(path, purpose=KEK, where="DALIL_KEK_DIR"), "DALIL_KEK_DIR")
    if kek_file:
        found.add(keyfile.read(Path(kek_file), purpose=KEK, where="DALIL_KEK_FILE"), "DALIL_KEK_FILE")
    for number, entry in enumerate((e for e in kek.split(",") if e.strip()), 1):
        found.add(keyfile.parse(entry, purpose=KEK, where=f"DALIL_KEK (entry {number})"), "DALIL_KEK")


def _build() -> _Ring:
    kek, kek_file, kek_dir, current, kms_key, kms_endpoint, kms_region = (_conf(n) for n in _CONFIG_NAMES)
    if not configured():
        if not _repair_keys:  # the old folder would be taken for the development default
            keyfile.refuse_legacy_layout()
        keyfile.refuse_missing(KEK)
    found = _Keys()
    # Development keys are the oldest: anything configured is newer. They are made only when nothing is configured.
    dev = keyfile.dev_keys(KEK, make=not configured())
    for key in dev:
        found.add(key, "development key")
    _configured_keys(kek, kek_file, kek_dir, found)
    if kms_key:
        newest = _KMS_PREFIX + kms_key
    elif found:
        newest = next(reversed(found))
    else:
        raise ImproperlyConfigured("No key-encryption key is configured.")
    if current:
        if not (current in found or current.startswith(_KMS_PREFIX)):
            raise ImproperlyConfigured(f"DALIL_KEK_CURRENT={current} names no configured key.")
        newest = current
    return _Ring(
        local=dict(found), development=frozenset(k.id for k in dev), kms_key_id=kms_key, kms_endpoint=kms_endpoint,
        kms_region=kms_region, current=newest,
    )


def _ring() -> _Ring:
    sig = _signature()
    ring = _cache.get(sig)
    if ring is None:
        with _lock:
            ring = _build()
            _cache.clear()
            _cache[sig] = ring
    return ring


def reset() -> None:
    """Forget cached configuration and KMS clients (tests, or after changing keys in-process)."""
    _cache.clear()
    kms.reset()


@contextlib.contextmanager
def repair_unwrap_keys(keys: dict[str, bytes]):
    """While ``repair_key_purposes`` runs: these keys of another purpose may unwrap (never wrap) what they wrapped."""
    _repair_keys.update(keys)
    reset()
    try:
        yield
    finally:
        _repair_keys.clear()
        reset()


# --- KMS --------------------------------------------------------------------


def _kms_call(ring: _Ring, op: str, **kwargs) -> dict:
    try:
        return kms.call(ring.kms_endpoint, ring.kms_region, op, **kwargs)
    except kms.KmsError as exc:
        raise KeyUnavailable(str(exc)) from None


def _kms_arn(ring: _Ring, key_id: str) -> str:
    try:
        return kms.checked_arn(ring.kms_endpoint, ring.kms_region, key_id)
    except kms.KmsError as exc:
        raise KeyUnavailable(str(exc)) from None


# --- public API -------------------------------------------------------------


def current_kek_id() -> str:
    """The id of the KEK that wraps new data keys (a KMS key is named ``kms:<key ARN>``)."""
    ring = _ring()
    if ring.current.startswith(_KMS_PREFIX):
        if ring.uses_kms and ring.current == _KMS_PREFIX + ring.kms_key_id:
            return _KMS_PREFIX + _kms_arn(ring, ring.kms_key_id)
        return ring.current
    return ring.current


def known_kek_ids() -> list[str]:
    """Local KEK ids, oldest first (KMS keys are not enumerable from here)."""
    return list(_ring().local)


def uses_development_key() -> bool:
    """Whether new data keys are wrapped with a development key kept beside the data."""
    ring = _ring()
    return ring.current in ring.development


def _local_ad(kek_id: str, context: bytes) -> bytes:
    return _WRAP_AD_PREFIX + kek_id.encode() + b"\x00" + context


def _check_context(context: bytes) -> None:
    # A context names the purpose of the data key it binds (keys/purposes.py); an undeclared one is a bug.
    if not isinstance(context, bytes) or purposes.purpose_of_context(context) is None:
        raise ValueError("a wrapping context made by keys.purposes.key_context is required")


def generate_data_key(*, context: bytes) -> tuple[bytes, str, bytes]:
    """A fresh 256-bit data key: (plaintext key, kek_id, wrapped key). Keep the plaintext only in memory."""
    _check_context(context)
    ring = _ring()
    kek_id = current_kek_id()
    if kek_id.startswith(_KMS_PREFIX):
        reply = _kms_call(
            ring, "generate_data_key", KeyId=kek_id[len(_KMS_PREFIX):], KeySpec="AES_256",
            EncryptionContext=kms.encryption_context(context),
        )
        return reply["Plaintext"], _KMS_PREFIX + reply["KeyId"], reply["CiphertextBlob"]
    data_key = secrets.token_bytes(KEY_BYTES)
    return data_key, *wrap(data_key, context=context)


def wrap(data_key: bytes, *, context: bytes) -> tuple[str, bytes]:
    """Wrap a data key under the newest KEK: (kek_id, wrapped)."""
    _check_context(context)
    if len(data_key) != KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    ring = _ring()
    kek_id = current_kek_id()
    if kek_id.startswith(_KMS_PREFIX):
        reply = _kms_call(
            ring, "encrypt", KeyId=kek_id[len(_KMS_PREFIX):], Plaintext=data_key,
            EncryptionContext=kms.encryption_context(context),
        )
        return _KMS_PREFIX + reply["KeyId"], reply["CiphertextBlob"]
    kek = ring.local[kek_id]
    nonce = secrets.token_bytes(12)
    return kek_id, _WRAP_VERSION + nonce + AESGCM(kek).encrypt(nonce, data_key, _local_ad(kek_id, context))


def unwrap(kek_id: str, wrapped: bytes, *, context: bytes) -> bytes:
    """The plaintext data key, or KeyUnavailable if the KEK is missing, wrong, or the context differs."""
    _check_context(context)
    ring = _ring()
    wrapped = bytes(wrapped)
    if kek_id.startswith(_KMS_PREFIX):
        if not ring.uses_kms:
            raise KeyUnavailable(f"key {kek_id} is a KMS key but no KMS is configured (DALIL_KMS_KEY_ID)")
        arn = _kms_arn(ring, kek_id[len(_KMS_PREFIX):])
        reply = _kms_call(
            ring, "decrypt", KeyId=arn, CiphertextBlob=wrapped, EncryptionContext=kms.encryption_context(context)
        )
        return reply["Plaintext"]
    kek = ring.local.get(kek_id) or _repair_keys.get(kek_id)
    if kek is None:
        raise KeyUnavailable(f"key-encryption key {kek_id!r} is not configured")
    if len(wrapped) != 1 + 12 + KEY_BYTES + 16 or wrapped[:1] != _WRAP_VERSION:
        raise KeyUnavailable(f"wrapped key under {kek_id!r} is malformed")
    try:
        return AESGCM(kek).decrypt(wrapped[1:13], wrapped[13:], _local_ad(kek_id, context))
    except InvalidTag:
        raise KeyUnavailable(f"key-encryption key {kek_id!r} does not open this wrapped key (wrong key or context)") from None


def rewrap(kek_id: str, wrapped: bytes, *, context: bytes) -> tuple[str, bytes]:
    """Unwrap under the old KEK and wrap under the newest. Returns the input unchanged if already newest."""
    current = current_kek_id()
    if kek_id == current:
        return kek_id, bytes(wrapped)
    return wrap(unwrap(kek_id, wrapped, context=context), context=context)


def check_keys() -> None:
    """Raise ImproperlyConfigured (one clear line) unless the newest KEK can wrap and unwrap."""
    try:
        probe = purposes.key_context(purposes.KEY_CHECK)
        key, kek_id, wrapped = generate_data_key(context=probe)
        if unwrap(kek_id, wrapped, context=probe) != key:
            raise ImproperlyConfigured("The key ring returned a different key than it wrapped.")
    except KeyUnavailable as exc:
        raise ImproperlyConfigured(f"Key ring unusable: {exc}.") from None
    if uses_development_key() and not settings.TESTING:
        logger.warning("The key ring wraps with a development key kept beside the data.")
