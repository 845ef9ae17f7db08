"""Repair an installation made before key purposes (``manage.py repair_key_purposes``).

Before, the embedded default took every ``*.key`` file straight under ``<data dir>/keys/`` as a
key-encryption key and wrapped with the newest, while the audit log wrote its chain key
(``audit-chain.key``) and its signing seed (``audit-signing.key``) into the same folder: files, protected
fields, backups and referral passphrases could end up wrapped under an audit key, with ``kek_id``
``audit-chain`` or ``audit-signing``.

The repair, resumable at every step (a crash and a rerun finish the job):

1. each old file is copied, as a key line of its purpose with its old id and material, to
   ``keys/<purpose>/<id>.key`` (written under a temporary name and renamed; an existing copy is checked);
2. every registered re-wrapper (keys/rotation.py) moves what is not under the newest KEK to it, while the
   keys of another purpose may unwrap what they wrapped (``ring.repair_unwrap_keys``), and only then;
3. the old files are removed.

Key files named in the settings (``DALIL_KEK_FILE``, ``DALIL_AUDIT_KEY_FILE``, …) and written before purposes
are converted in place, one by one, with ``repair_key_purposes --convert FILE --purpose PURPOSE``.
This module is the only reader of the old, untagged formats.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from keys import keyfile, ring
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING, KEK, KeyPurpose

# The names the audit log gave its development keys before purposes; every other old file was a KEK.
_OLD_NAMES = {"audit-chain.key": AUDIT_CHAIN, "audit-signing.key": AUDIT_SIGNING}


def _old_material(path: Path) -> tuple[str, bytes]:
    """(id, 32-byte key) of an old key file: raw 32 bytes, or text ``[ID:]KEY`` with KEY as hex or base64."""
    raw = path.read_bytes()
    if len(raw) == 32:
        return path.stem, raw
    text = raw.decode("ascii", errors="replace").strip()
    key_id, _, body = text.rpartition(":")
    key = None
    if len(body) == 64:
        try:
            key = bytes.fromhex(body)
        except ValueError:
            key = None
    if key is None:
        try:
            key = base64.b64decode(body.replace("-", "+").replace("_", "/") + "=" * (-len(body) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{path}: an old key file that is neither hex nor base64.") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{path}: an old key file of {len(key)} bytes, not 32.")
    return key_id or path.stem, key


def _purpose_of(path: Path) -> KeyPurpose:
    return _OLD_NAMES.get(path.name, KEK)


def convert(path: Path) -> keyfile.KeyFile:
    """Copy one old key file into its purpose folder (idempotent); the old file stays until the repair ends."""
    purpose = _purpose_of(path)
    key_id, material = _old_material(path)
    key = keyfile.KeyFile(purpose, key_id, material)
    folder = keyfile.dev_folder(purpose)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{key_id}.key"
    if target.exists():
        if keyfile.read(target, purpose=purpose, where="repair").material != material:
            raise ImproperlyConfigured(f"{target} exists and holds another key than {path}: move one of them aside.")
        return key
    if purpose is not KEK and keyfile.key_files(folder):
        raise ImproperlyConfigured(f"{folder} holds another {purpose.title} already: the log needs the one in {path}.")
    partial = folder / f".{key_id}.partial"
    partial.unlink(missing_ok=True)
    keyfile.write(partial, key)
    stat = path.stat()
    os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # KEKs keep their age order: the newest still wraps
    os.replace(partial, target)
    return key


def convert_file(path: Path, purpose: KeyPurpose, *, key_id: str | None = None) -> keyfile.KeyFile:
    """Rewrite a configured key file of the old, untagged formats in place as a key line of ``purpose``.

    The material stays; a KEK keeps the id the old ring gave it (the text before ':', else the file name without
    its extension), because that id is stored beside every data key it wrapped. An Ed25519 PEM becomes its seed.
    A file already in the new format is only checked (it must be of ``purpose``).
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw.startswith(keyfile.FORMAT.encode() + b":"):
        return keyfile.read(path, purpose=purpose, where="repair")
    if purpose is AUDIT_SIGNING and raw.lstrip().startswith(b"-----BEGIN"):
        old_id, material = path.stem, _pem_seed(raw, path)
    else:
        old_id, material = _old_material(path)
    key = keyfile.KeyFile(purpose, key_id or (old_id if purpose is KEK else purpose.name), material)
    keyfile.check_id(key.id, where=str(path))
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    keyfile.write(partial, key)
    stat = path.stat()
    os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # a KEK folder keeps its age order
    os.replace(partial, path)
    return key


def _pem_seed(raw: bytes, path: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(raw, password=None)
    except ValueError:
        raise ImproperlyConfigured(f"{path}: not a readable PEM private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path}: the PEM holds no Ed25519 key.")
    return key.private_bytes_raw()


def wrong_purpose_keys() -> dict[str, bytes]:
    """Keys of another purpose that may have wrapped data keys, by id: old files and their converted copies."""
    found = {}
    for path in keyfile.legacy_files():
        if _purpose_of(path) is not KEK:
            key_id, material = _old_material(path)
            found[key_id] = material
    for purpose in _OLD_NAMES.values():
        folder = keyfile.dev_folder(purpose)
        for path in keyfile.key_files(folder) if folder.is_dir() else []:
            key = keyfile.read(path, purpose=purpose, where="repair")
            found[key.id] = key.material
    return found


def repair(*, progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Run the three steps; the report names the files converted, the wrapping KEK and what was re-wrapped."""
    from keys.rotation import rotate_all

    old = keyfile.legacy_files()
    converted = [convert(path) for path in old]
    with ring.repair_unwrap_keys(wrong_purpose_keys()):
        report = rotate_all(progress=progress)
    for path in old:
        path.unlink(missing_ok=True)
    ring.reset()
    report["converted"] = [f"{key.purpose.name}/{key.id}" for key in converted]
    return report
