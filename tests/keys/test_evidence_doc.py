"""A third party decrypts a stored evidence file following only docs/evidence-format.md.

The decryptor below uses the standard library and `cryptography`, the key file as keys_generate wrote it,
the database row and the blob found at its documented storage key: no Dalil code.
"""

import base64
import hashlib
import io
import struct
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.management import call_command

from evidence.models import EvidenceFile
from keys import ring
from tests.evidence.helpers import attach

DOC = (Path(__file__).resolve().parents[2] / "docs" / "evidence-format.md").read_text()


def _documented(*phrases):
    for phrase in phrases:
        assert phrase in DOC, f"docs/evidence-format.md no longer says {phrase!r}"


def _read_key_file(path: Path, kek_id: str) -> bytes:
    _documented("dalil-key-v1:<purpose>:<id>:<material>", "split its line at the first three `:`")
    fmt, purpose, key_id, material = path.read_text().strip().split(":", 3)
    assert (fmt, purpose, key_id) == ("dalil-key-v1", "kek", kek_id)
    return base64.b64decode(material, validate=True)


def _storage_key(model_label: str, record_id: uuid.UUID) -> str:
    _documented("`evidence/<first 2 hex digits of id>/<id>.dlev`", "`copies/<first 2 hex digits of id>/<id>.dlev`")
    folder = {"evidence.evidencefile": "evidence", "evidence.workingcopy": "copies"}[model_label]
    return f"{folder}/{record_id.hex[:2]}/{record_id}.dlev"


def _unwrap(kek: bytes, kek_id: str, wrapped: bytes, model_label: str, record_id: uuid.UUID) -> bytes:
    _documented('`ad = "dalil-kek-v1" || 0x00 || kek_id || 0x00 || "dalil.evidence:" || model label || ":" || id`')
    assert wrapped[0] == 1 and len(wrapped) == 61
    ad = b"dalil-kek-v1\x00" + kek_id.encode() + b"\x00" + f"dalil.evidence:{model_label}:{record_id}".encode()
    return AESGCM(kek).decrypt(wrapped[1:13], wrapped[13:], ad)


def _decrypt(blob: bytes, data_key: bytes, file_id: bytes) -> bytes:
    header = blob[:48]
    assert header[:4] == b"DLEV" and header[4] == 1 and struct.unpack(">I", header[5:9])[0] == 65536
    salt, prefix = header[9:41], header[41:48]
    key = HKDF(hashes.SHA256(), 32, salt, b"dalil-evidence-v1\x00" + file_id).derive(data_key)
    stream, out, index = io.BytesIO(blob[48:]), [], 0
    segment = stream.read(65552)
    while True:
        following = stream.read(65552)
        nonce = prefix + struct.pack(">I", index) + (b"\x00" if following else b"\x01")
        out.append(AESGCM(key).decrypt(nonce, segment, header + file_id))
        if not following:
            return b"".join(out)
        segment, index = following, index + 1


def test_a_file_decrypts_with_the_key_file_alone(settings, tmp_path, cast):
    key_path = tmp_path / "kek"
    call_command("keys_generate", "--purpose", "kek", "--out", str(key_path), stdout=io.StringIO())
    settings.DALIL_KEK_FILE = str(key_path)
    ring.reset()
    content = bytes(range(256)) * 700  # three segments
    record = EvidenceFile.objects.get(pk=attach(cast, content).pk)

    kek = _read_key_file(key_path, record.kek_id)
    blob = (Path(settings.MEDIA_ROOT) / _storage_key("evidence.evidencefile", record.pk)).read_bytes()
    data_key = _unwrap(kek, record.kek_id, bytes(record.wrapped_key), "evidence.evidencefile", record.pk)
    plaintext = _decrypt(blob, data_key, record.pk.bytes)

    assert plaintext == content and len(plaintext) == record.size
    assert hashlib.sha256(plaintext).hexdigest() == record.sha256


def test_key_ids_are_derived_as_documented(tmp_path):
    _documented('first 16 hex digits of SHA-256("dalil-key-id-v1" || 0x00 || purpose || 0x00 || material as written in the file)')
    for purpose in ("kek", "audit-signing", "intake"):
        path = tmp_path / purpose
        out = io.StringIO()
        call_command("keys_generate", "--purpose", purpose, "--out", str(path), stdout=out)
        _, named, key_id, material = path.read_text().strip().split(":", 3)
        digest = hashlib.sha256(b"dalil-key-id-v1\x00" + named.encode() + b"\x00" + material.encode()).hexdigest()
        assert key_id == out.getvalue().split()[0] == f"{purpose}-{digest[:16]}"
