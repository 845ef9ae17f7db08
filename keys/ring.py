"""The key ring: key-encryption keys (KEKs) that wrap per-record data keys.

Evidence files and protected case fields are encrypted under data keys; only the
data keys, wrapped by a KEK, are stored next to the data. A KEK never sits in the
database or in the blob store, so a seized disk or a stolen backup reveals nothing.

Where KEKs come from (all configured keys can unwrap; the newest one wraps):

* ``DALIL_KEK`` - one or more local keys, comma-separated, each ``ID:KEY`` or just
  ``KEY`` (32 bytes as base64 or hex). The last entry is the newest.
* ``DALIL_KEK_FILE`` - a file holding one key (raw 32 bytes, or text ``[ID:]KEY``).
  The id is the text prefix if given, else the file name without its extension.
* ``DALIL_KEK_DIR`` - a folder of ``*.key`` files (same format). The most recently
  modified file is the newest.
* ``DALIL_KMS_KEY_ID`` (+ ``DALIL_KMS_ENDPOINT_URL``, ``DALIL_KMS_REGION``) - a KMS
  speaking the AWS KMS API. Data keys are generated and unwrapped by the KMS, which
  never hands over its master key and logs every unwrap. When set, it is the newest.
* ``DALIL_KEK_CURRENT`` - pick the wrapping key by id explicitly.
* Nothing configured: a development key is made under ``<data dir>/keys/`` on first
  use, with a warning. Keys found there stay usable for unwrapping, so that data
  written in development can be moved to a real key with ``rotate_keys``.

Local wrapping is AES-256-GCM: ``0x01 || nonce(12) || ciphertext(32) || tag(16)``,
associated data ``b"dalil-kek-v1\\0" || kek_id || b"\\0" || context``. The context
(e.g. ``b"evidence.file:<uuid>"``) binds a wrapped key to the record it belongs to,
so a wrapped key copied onto another record does not unwrap. With KMS the context
travels as the KMS encryption context.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from keys import purposes

logger = logging.getLogger(__name__)

KEY_BYTES = 32
_WRAP_VERSION = b"\x01"
_WRAP_AD_PREFIX = b"dalil-kek-v1\x00"
_KMS_PREFIX = "kms:"
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


def _dev_dir() -> Path:
    return Path(settings.DATA_DIR) / "keys"


def _parse_key_text(text: str, *, where: str) -> tuple[str | None, bytes]:
    """``[ID:]KEY`` with KEY as hex or base64 of 32 bytes."""
    text = text.strip()
    kek_id = None
    if ":" in text:
        kek_id, text = (part.strip() for part in text.split(":", 1))
        if not kek_id:
            raise ImproperlyConfigured(f"{where}: the key id before ':' is empty.")
    key = None
    if len(text) == 2 * KEY_BYTES:
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = None
    if key is None:
        try:
            padded = text + "=" * (-len(text) % 4)
            key = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{where}: the key is neither hex nor base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{where}: a key must be {KEY_BYTES} bytes, this one is {len(key)}.")
    return kek_id, key


def _read_key_file(path: Path, *, where: str) -> tuple[str, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"{where}: {path} cannot be read ({exc.strerror}).") from None
    if len(raw) == KEY_BYTES:
        return path.stem, raw
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise ImproperlyConfigured(f"{where}: {path} is neither 32 raw bytes nor a text key.") from None
    kek_id, key = _parse_key_text(text, where=f"{where} {path}")
    return kek_id or path.stem, key


def _anonymous_id(key: bytes) -> str:
    # An id for a key given without one; derived one-way so the id reveals nothing usable.
    return "env-" + hashlib.sha256(b"dalil-kek-id\x00" + key).hexdigest()[:12]


def _key_dir_files(folder: Path) -> list[Path]:
    files = [p for p in folder.glob("*.key") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _make_dev_key(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"dev-kek-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}.key"
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n")
    if not settings.TESTING:
        warnings.warn(
            f"No key-encryption key is configured: made a development key at {path}. "
            "It sits beside the data it protects; set DALIL_KEK_FILE, DALIL_KEK_DIR or DALIL_KMS_KEY_ID in production.",
            stacklevel=2,
        )


# --- the ring ---------------------------------------------------------------


@dataclass(frozen=True)
class _Ring:
    local: dict[str, bytes]  # kek_id -> key, in age order (oldest first)
    kms_key_id: str
    kms_endpoint: str
    kms_region: str
    current: str  # the id that wraps; "kms:" ids resolve lazily to the key ARN

    @property
    def uses_kms(self) -> bool:
        return bool(self.kms_key_id)


_lock = threading.Lock()
_cache: dict[tuple, _Ring] = {}
_kms_clients: dict[tuple, object] = {}
_kms_arns: dict[tuple, str] = {}


def _signature() -> tuple:
    values = tuple(_conf(n) for n in _CONFIG_NAMES)
    # A new key file in a key folder takes effect without a restart.
    folders = [Path(values[2])] if values[2] else []
    folders.append(_dev_dir())
    listing = []
    for folder in folders:
        if folder.is_dir():
            listing.extend((str(p), p.stat().st_mtime_ns) for p in _key_dir_files(folder))
    return values + (str(_dev_dir()),) + tuple(listing)


def _build() -> _Ring:
    kek, kek_file, kek_dir, current, kms_key, kms_endpoint, kms_region = (_conf(n) for n in _CONFIG_NAMES)
    local: dict[str, bytes] = {}

    def add(kek_id: str, key: bytes, where: str) -> None:
        if kek_id.startswith(_KMS_PREFIX):
            raise ImproperlyConfigured(f"{where}: a local key id may not start with '{_KMS_PREFIX}'.")
        if kek_id in local and local[kek_id] != key:
            raise ImproperlyConfigured(f"{where}: two different keys share the id {kek_id!r}.")
        local.pop(kek_id, None)
        local[kek_id] = key

    dev = _dev_dir()
    dev_files = _key_dir_files(dev) if dev.is_dir() else []
    configured = bool(kek or kek_file or kek_dir or kms_key)
    if not configured and not dev_files:
        with _lock:
            dev_files = _key_dir_files(dev) if dev.is_dir() else []
            if not dev_files:
                _make_dev_key(dev)
                dev_files = _key_dir_files(dev)
    # Development keys are the oldest: anything configured is newer.
    for path in dev_files:
        add(*_read_key_file(path, where="development key"), "development key")
    if kek_dir:
        folder = Path(kek_dir)
        if not folder.is_dir():
            raise ImproperlyConfigured(f"DALIL_KEK_DIR={kek_dir} is not a folder.")
        files = _key_dir_files(folder)
        if not files:
            raise ImproperlyConfigured(f"DALIL_KEK_DIR={kek_dir} holds no *.key file.")
        for path in files:
            add(*_read_key_file(path, where="DALIL_KEK_DIR"), "DALIL_KEK_DIR")
    if kek_file:
        add(*_read_key_file(Path(kek_file), where="DALIL_KEK_FILE"), "DALIL_KEK_FILE")
    if kek:
        for n, entry in enumerate(e for e in kek.split(",") if e.strip()):
            kek_id, key = _parse_key_text(entry, where=f"DALIL_KEK (entry {n + 1})")
            add(kek_id or _anonymous_id(key), key, "DALIL_KEK")
    if kms_key:
        newest = _KMS_PREFIX + kms_key
    elif local:
        newest = next(reversed(local))
    else:
        raise ImproperlyConfigured("No key-encryption key is configured.")
    if current:
        if not (current in local or current.startswith(_KMS_PREFIX)):
            raise ImproperlyConfigured(f"DALIL_KEK_CURRENT={current} names no configured key.")
        newest = current
    return _Ring(local=local, kms_key_id=kms_key, kms_endpoint=kms_endpoint, kms_region=kms_region, current=newest)


def _ring() -> _Ring:
    sig = _signature()
    ring = _cache.get(sig)
    if ring is None:
        ring = _build()
        _cache.clear()
        _cache[sig] = ring
    return ring


def reset() -> None:
    """Forget cached configuration and KMS clients (tests, or after changing keys in-process)."""
    _cache.clear()
    _kms_clients.clear()
    _kms_arns.clear()


# --- KMS --------------------------------------------------------------------


def _kms(ring: _Ring):
    sig = (ring.kms_endpoint, ring.kms_region)
    client = _kms_clients.get(sig)
    if client is None:
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "kms",
            endpoint_url=ring.kms_endpoint or None,
            region_name=ring.kms_region or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30),
        )
        _kms_clients[sig] = client
    return client


def _kms_context(context: bytes) -> dict[str, str]:
    try:
        return {"dalil": context.decode("ascii")}
    except UnicodeDecodeError:
        return {"dalil-b64": base64.b64encode(context).decode()}


def _kms_call(ring: _Ring, op: str, **kwargs) -> dict:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return getattr(_kms(ring), op)(**kwargs)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        raise KeyUnavailable(f"KMS refused {op}: {code}") from None
    except BotoCoreError as exc:
        raise KeyUnavailable(f"KMS cannot be reached for {op}: {type(exc).__name__}") from None


def _kms_current_arn(ring: _Ring) -> str:
    sig = (ring.kms_endpoint, ring.kms_region, ring.kms_key_id)
    arn = _kms_arns.get(sig)
    if arn is None:
        meta = _kms_call(ring, "describe_key", KeyId=ring.kms_key_id)["KeyMetadata"]
        arn = meta["Arn"]
        _kms_arns[sig] = arn
    return arn


# --- public API -------------------------------------------------------------


def current_kek_id() -> str:
    """The id of the KEK that wraps new data keys (a KMS key is named ``kms:<key ARN>``)."""
    ring = _ring()
    if ring.current.startswith(_KMS_PREFIX):
        if ring.uses_kms and ring.current == _KMS_PREFIX + ring.kms_key_id:
            return _KMS_PREFIX + _kms_current_arn(ring)
        return ring.current
    return ring.current


def known_kek_ids() -> list[str]:
    """Local KEK ids, oldest first (KMS keys are not enumerable from here)."""
    return list(_ring().local)


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
            EncryptionContext=_kms_context(context),
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
            ring, "encrypt", KeyId=kek_id[len(_KMS_PREFIX):], Plaintext=data_key, EncryptionContext=_kms_context(context)
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
        reply = _kms_call(
            ring, "decrypt", KeyId=kek_id[len(_KMS_PREFIX):], CiphertextBlob=wrapped, EncryptionContext=_kms_context(context)
        )
        return reply["Plaintext"]
    kek = ring.local.get(kek_id)
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
        ring = _ring()
        probe = purposes.key_context(purposes.KEY_CHECK)
        key, kek_id, wrapped = generate_data_key(context=probe)
        if unwrap(kek_id, wrapped, context=probe) != key:
            raise ImproperlyConfigured("The key ring returned a different key than it wrapped.")
    except KeyUnavailable as exc:
        raise ImproperlyConfigured(f"Key ring unusable: {exc}.") from None
    if not ring.uses_kms and ring.current in ring.local and Path(_dev_dir()).is_dir():
        dev_ids = {_read_key_file(p, where="dev")[0] for p in _key_dir_files(_dev_dir())}
        if ring.current in dev_ids and not settings.TESTING:
            logger.warning("The key ring wraps with a development key kept beside the data.")
