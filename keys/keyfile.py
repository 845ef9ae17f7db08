"""Key files: one key, one purpose, named inside the file (docs/evidence-format.md, "Key files").

A key file holds one line::

    dalil-key-v1:<purpose>:<id>:<material>

* ``purpose`` is a name from keys/purposes.py (``kek``, ``audit-chain``, ``audit-signing``, ``token-pepper``,
  ``intake``). A line is only ever read *for* a purpose, and a line naming another one is refused: an audit key
  copied into the KEK folder, or a KEK file named as the signing key, stops the start with one line.
* ``id`` names the key where it is used (the ``kek_id`` stored beside every wrapped data key). ``keys_generate``
  derives it from the material (``derive_id``); a key converted from the layout before purposes keeps its old id.
* ``material`` is standard base64 of the 32 random bytes (``secret``) or of the Ed25519 seed (``ed25519-seed``),
  or the age identity as age writes it, ``AGE-SECRET-KEY-1…`` (``age-identity``).

The same line is accepted from a setting (``DALIL_KEK``, ``DALIL_AUDIT_KEY``, …, each of which may also come
from its ``*_FILE``). With nothing configured, development keys live under ``<data dir>/keys/<purpose>/`` and
are made on first use with a warning; a production install (debug off, a real database) must bring its own.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from keys.purposes import KEY_PURPOSES, KeyPurpose

FORMAT = "dalil-key-v1"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_AGE_IDENTITY = re.compile(r"^AGE-SECRET-KEY-1[0-9A-Z]{58}$")
_lock = threading.Lock()


@dataclass(frozen=True)
class KeyFile:
    purpose: KeyPurpose
    id: str
    material: bytes | str  # bytes for secrets and seeds, the identity text for age

    def __repr__(self) -> str:  # never the material, in a traceback or a log
        return f"<KeyFile {self.purpose.name}:{self.id}>"

    @property
    def line(self) -> str:
        return key_line(self.purpose, self.id, self.material)


def encode_material(purpose: KeyPurpose, material: bytes | str) -> str:
    return material if purpose.material == "age-identity" else base64.b64encode(material).decode("ascii")


def key_line(purpose: KeyPurpose, key_id: str, material: bytes | str) -> str:
    """The one line of a key file."""
    return f"{FORMAT}:{purpose.name}:{key_id}:{encode_material(purpose, material)}"


def derive_id(purpose: KeyPurpose, material: bytes | str) -> str:
    """``<purpose>-`` and 16 hex digits of SHA-256(``dalil-key-id-v1`` 0x00 purpose 0x00 encoded material): one-way."""
    text = encode_material(purpose, material).encode("ascii")
    digest = hashlib.sha256(b"dalil-key-id-v1\x00" + purpose.name.encode() + b"\x00" + text).hexdigest()
    return f"{purpose.name}-{digest[:16]}"


def new_material(purpose: KeyPurpose) -> bytes | str:
    if purpose.material == "age-identity":
        from pyrage import x25519

        return str(x25519.Identity.generate())
    return secrets.token_bytes(purpose.size)


def generate(purpose: KeyPurpose, *, key_id: str | None = None) -> KeyFile:
    """A fresh key of this purpose; its id is derived from the material unless given."""
    material = new_material(purpose)
    key_id = key_id or derive_id(purpose, material)
    check_id(key_id, where=purpose.title)
    return KeyFile(purpose, key_id, material)


def check_id(key_id: str, *, where: str) -> None:
    if not _ID.match(key_id) or key_id.startswith("kms"):
        raise ImproperlyConfigured(
            f"{where}: the key id {key_id!r} must be 1-100 letters, digits, '.', '_' or '-' (not starting with 'kms')."
        )


def _decode_material(purpose: KeyPurpose, text: str, *, where: str) -> bytes | str:
    if purpose.material == "age-identity":
        if not _AGE_IDENTITY.match(text):
            raise ImproperlyConfigured(f"{where}: the material is not an age X25519 identity (AGE-SECRET-KEY-1…).")
        return text
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{where}: the key material is not standard base64.") from None
    if len(raw) != purpose.size:
        raise ImproperlyConfigured(f"{where}: a {purpose.title} is {purpose.size} bytes, this one is {len(raw)}.")
    return raw


@lru_cache(maxsize=64)
def _parse(text: str, purpose_name: str, where: str) -> KeyFile:
    expected = KEY_PURPOSES[purpose_name]
    parts = text.strip().split(":", 3)
    if len(parts) != 4 or parts[0] != FORMAT:
        raise ImproperlyConfigured(
            f"{where}: not a Dalil key line ({FORMAT}:<purpose>:<id>:<material>). Make keys with "
            "`manage.py keys_generate`; keys made before key purposes are converted by `manage.py repair_key_purposes`."
        )
    _, purpose, key_id, material = parts
    if purpose != expected.name:
        known = "" if purpose in KEY_PURPOSES else " (unknown)"
        raise ImproperlyConfigured(
            f"{where}: the key's purpose is {purpose!r}{known}, not {expected.name!r} ({expected.title}): "
            "a key serves one purpose only."
        )
    check_id(key_id, where=where)
    return KeyFile(expected, key_id, _decode_material(expected, material, where=where))


def parse(text: str, *, purpose: KeyPurpose, where: str) -> KeyFile:
    """The key in ``text`` (one key line), or ImproperlyConfigured (one line) if it is malformed or of another purpose."""
    return _parse(text.strip(), purpose.name, where)


def read(path: Path, *, purpose: KeyPurpose, where: str) -> KeyFile:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"{where}: {path} cannot be read ({exc.strerror}).") from None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        text = ""
    return parse(text, purpose=purpose, where=f"{where} {path}")


def write(path: Path, key: KeyFile) -> None:
    """Write a key file readable by its owner only; never overwrites (FileExistsError)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.line + "\n")


# --- development keys ---------------------------------------------------------------------------


def keys_root() -> Path:
    return Path(settings.DATA_DIR) / "keys"


def dev_folder(purpose: KeyPurpose) -> Path:
    return keys_root() / purpose.name


def dev_allowed() -> bool:
    return bool(settings.DEBUG or settings.EMBEDDED or settings.TESTING)


def legacy_files() -> list[Path]:
    """Key files in the layout before purposes: ``*.key`` straight under the keys folder (KEKs and audit keys mixed)."""
    root = keys_root()
    return sorted(p for p in root.glob("*.key") if p.is_file()) if root.is_dir() else []


def refuse_legacy_layout() -> None:
    """Stop with one line while keys of the layout before purposes lie beside each other, until they are repaired.

    Tests skip the refusal: their data directory is the developer's, and their database is made afresh.
    """
    found = legacy_files()
    if found and not settings.TESTING:
        names = ", ".join(p.name for p in found)
        raise ImproperlyConfigured(
            f"{keys_root()} holds keys of the layout before key purposes ({names}): run `manage.py repair_key_purposes`."
        )


def key_files(folder: Path) -> list[Path]:
    """The ``*.key`` files of a folder, oldest first (by modification time, then name)."""
    files = [p for p in folder.glob("*.key") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def dev_keys(purpose: KeyPurpose, *, make: bool = True) -> list[KeyFile]:
    """The development keys of a purpose, oldest first; the first is made (with a warning) if there is none."""
    folder = dev_folder(purpose)
    files = key_files(folder) if folder.is_dir() else []
    if not files and make:
        with _lock:
            files = key_files(folder) if folder.is_dir() else []
            if not files:
                files = [_make_dev_key(purpose)]
    return [read(p, purpose=purpose, where="development key") for p in files]


def refuse_missing(purpose: KeyPurpose) -> None:
    """A production install (debug off, a real database) neither makes nor uses development keys."""
    if not dev_allowed():
        raise ImproperlyConfigured(
            f"No {purpose.title} is configured: set {purpose.setting} or {purpose.file_setting} "
            f"(made with `manage.py keys_generate --purpose {purpose.name}`) when DALIL_DEBUG is off."
        )


def _make_dev_key(purpose: KeyPurpose) -> Path:
    folder = dev_folder(purpose)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = generate(purpose)
    path = folder / f"{key.id}.key"
    write(path, key)
    if not settings.TESTING:
        warnings.warn(
            f"No {purpose.title} is configured: made a development key at {path}. It sits beside the data; "
            f"set {purpose.file_setting} in production.",
            stacklevel=3,
        )
    return path


def load(purpose: KeyPurpose) -> KeyFile:
    """The one key of a single-key purpose (audit chain, audit signing, token pepper, intake).

    From its setting (the key line, or the content of its ``*_FILE``), else the development key.
    """
    text = str(getattr(settings, purpose.setting) or "").strip()
    if text:
        return parse(text, purpose=purpose, where=purpose.setting)
    refuse_legacy_layout()
    refuse_missing(purpose)
    return dev_keys(purpose)[-1]


def age_recipient(key: KeyFile) -> str:
    """The age public key (``age1…``) of an intake identity: what the public side seals submissions to."""
    from pyrage import x25519

    return str(x25519.Identity.from_str(key.material).to_public())
