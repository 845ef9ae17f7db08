"""The STREAM format: round trips, every kind of tampering, and the documented test vectors."""

import hashlib
import io
import re
import secrets
import struct
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from keys.stream import (
    CIPHER_SEGMENT_SIZE,
    HEADER_SIZE,
    SEGMENT_SIZE,
    Encryptor,
    EvidenceFormatError,
    TamperedError,
    blob_size,
    decrypt_range,
    decrypt_stream,
    plaintext_size,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence-format.md"
KEY = bytes(range(32))
FILE_ID = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
SALT = bytes(range(0x40, 0x60))
PREFIX = bytes.fromhex("a0a1a2a3a4a5a6")


def encrypt(plaintext: bytes, key=KEY, file_id=FILE_ID, *, pieces=(7, 70000, 1 << 20), **kw) -> bytes:
    enc = Encryptor(key, file_id, **kw)
    out, pos, n = [], 0, 0
    while pos < len(plaintext):  # feed in uneven pieces, as an upload would
        size = pieces[n % len(pieces)]
        out.append(enc.update(plaintext[pos : pos + size]))
        pos, n = pos + size, n + 1
    out.append(enc.finalize())
    blob = b"".join(out)
    assert enc.sha256.hexdigest() == hashlib.sha256(plaintext).hexdigest() and enc.size == len(plaintext)
    return blob


def decrypt(blob: bytes, key=KEY, file_id=FILE_ID) -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(blob).read, key, file_id))


def segments(blob):
    body = blob[HEADER_SIZE:]
    return blob[:HEADER_SIZE], [body[i : i + CIPHER_SEGMENT_SIZE] for i in range(0, len(body), CIPHER_SEGMENT_SIZE)]


@pytest.mark.parametrize("size", [0, 1, 18, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE, 3 * SEGMENT_SIZE + 5])
def test_round_trip_and_sizes(size):
    plaintext = secrets.token_bytes(size)
    blob = encrypt(plaintext)
    assert len(blob) == blob_size(size) and plaintext_size(len(blob)) == size
    assert decrypt(blob) == plaintext
    if size >= 16:
        assert plaintext[:16] not in blob


def test_random_access_from_any_segment():
    plaintext = secrets.token_bytes(4 * SEGMENT_SIZE + 100)
    blob = encrypt(plaintext)
    for start in range(5):
        fh = io.BytesIO(blob)
        got = b"".join(decrypt_range(fh.read, fh.seek, KEY, FILE_ID, size=len(plaintext), start_segment=start))
        assert got == plaintext[start * SEGMENT_SIZE :]


PLAIN = bytes(i % 251 for i in range(3 * SEGMENT_SIZE + 1000))


def _fails(blob, **kw):
    with pytest.raises(EvidenceFormatError):
        decrypt(blob, **kw)
    # Random access from the recorded size must fail as well.
    fh = io.BytesIO(blob)
    with pytest.raises(EvidenceFormatError):
        b"".join(decrypt_range(fh.read, fh.seek, kw.get("key", KEY), kw.get("file_id", FILE_ID), size=len(PLAIN)))


def test_flipped_byte_is_detected_in_every_part():
    blob = encrypt(PLAIN)
    for pos in (0, 4, 6, 20, 45, HEADER_SIZE + 3, HEADER_SIZE + CIPHER_SEGMENT_SIZE + 100, len(blob) - 1):
        tampered = bytearray(blob)
        tampered[pos] ^= 0x01
        _fails(bytes(tampered))


def test_swapped_segments_are_detected():
    header, segs = segments(encrypt(PLAIN))
    segs[0], segs[1] = segs[1], segs[0]
    with pytest.raises(TamperedError) as err:
        decrypt(header + b"".join(segs))
    assert err.value.segment == 0
    _fails(header + b"".join(segs))


def test_dropped_last_segment_is_detected():
    header, segs = segments(encrypt(PLAIN))
    _fails(header + b"".join(segs[:-1]))


def test_dropped_middle_and_duplicated_segments_are_detected():
    header, segs = segments(encrypt(PLAIN))
    with pytest.raises(TamperedError):
        decrypt(header + segs[0] + segs[2] + segs[3])
    with pytest.raises(TamperedError):
        decrypt(header + segs[0] + segs[0] + segs[1] + segs[2] + segs[3])
    with pytest.raises(TamperedError):
        decrypt(header + b"".join(segs) + segs[-1])


@pytest.mark.parametrize("cut", [1, 16, 17, 1000])
def test_truncation_is_detected(cut):
    blob = encrypt(PLAIN)
    _fails(blob[:-cut])
    with pytest.raises(EvidenceFormatError):
        decrypt(blob[: HEADER_SIZE - 1])


def test_truncation_at_a_segment_boundary_is_detected():
    plain = secrets.token_bytes(2 * SEGMENT_SIZE)
    blob = encrypt(plain)
    with pytest.raises(TamperedError):
        decrypt(blob[: HEADER_SIZE + CIPHER_SEGMENT_SIZE])


def test_splicing_from_another_file_is_detected():
    other_id = uuid.uuid4()
    mine, theirs = encrypt(PLAIN), encrypt(PLAIN, file_id=other_id)
    h1, s1 = segments(mine)
    h2, s2 = segments(theirs)
    with pytest.raises(TamperedError):
        decrypt(h1 + s1[0] + s2[1] + s1[2] + s1[3])
    with pytest.raises(TamperedError):
        decrypt(h2 + b"".join(s1))
    # Same key and salt under another file id: the associated data still differs.
    same_salt = encrypt(PLAIN, file_id=other_id, _salt=SALT, _prefix=PREFIX)
    with pytest.raises(TamperedError):
        decrypt(same_salt)


def test_wrong_key_fails_on_the_first_segment():
    with pytest.raises(TamperedError) as err:
        decrypt(encrypt(PLAIN), key=secrets.token_bytes(32))
    assert err.value.segment == 0


def test_not_a_blob_or_another_version():
    blob = encrypt(b"x")
    with pytest.raises(EvidenceFormatError, match="not a Dalil"):
        decrypt(b"XXXX" + blob[4:])
    with pytest.raises(EvidenceFormatError, match="version"):
        decrypt(blob[:4] + b"\x02" + blob[5:])


# --- the documented test vectors, decrypted by code written from the document only ------------


def _doc_decrypt(blob: bytes, data_key: bytes, file_id: bytes) -> bytes:
    header = blob[:48]
    assert header[:4] == b"DLEV" and header[4] == 1 and struct.unpack(">I", header[5:9])[0] == 65536
    salt, prefix = header[9:41], header[41:48]
    key = HKDF(hashes.SHA256(), 32, salt, b"dalil-evidence-v1" + b"\x00" + file_id).derive(data_key)
    aad = header + file_id
    body, out, i = blob[48:], [], 0
    while body:
        seg, body = body[:65552], body[65552:]
        nonce = prefix + struct.pack(">I", i) + (b"\x01" if not body else b"\x00")
        out.append(AESGCM(key).decrypt(nonce, seg, aad))
        i += 1
    return b"".join(out)


def _doc_value(name: str) -> str:
    match = re.search(rf"^{re.escape(name)}\s+=?\s*([0-9a-f]+)\b", DOC.read_text(), re.M)
    assert match, f"{name} missing from docs/evidence-format.md"
    return match.group(1)


def test_vector_1_matches_the_document():
    text = DOC.read_text()
    block = text[text.index("**Vector 1**") :]
    hex_lines = re.findall(r"^([0-9a-f]{40,})$", block, re.M)[:2]
    documented = bytes.fromhex("".join(hex_lines))
    assert bytes.fromhex(_doc_value("data_key")) == KEY
    assert bytes.fromhex(_doc_value("salt")) == SALT and bytes.fromhex(_doc_value("nonce_prefix")) == PREFIX
    ours = encrypt(b"Dalil test vector\n", _salt=SALT, _prefix=PREFIX)
    assert ours == documented
    assert _doc_decrypt(documented, KEY, FILE_ID.bytes) == b"Dalil test vector\n"
    from keys.stream import derive_key

    assert derive_key(KEY, SALT, FILE_ID).hex() == _doc_value("segment_key")


def test_vector_2_matches_the_document():
    plaintext = bytes(k % 251 for k in range(70000))
    blob = encrypt(plaintext, _salt=SALT, _prefix=PREFIX)
    assert len(blob) == int(re.search(r"^blob length\s+(\d+)", DOC.read_text(), re.M).group(1))
    assert hashlib.sha256(blob).hexdigest() == _doc_value("SHA-256 of the blob")
    assert blob[65584:65600].hex() == _doc_value("tag of segment 0")
    assert blob[48 + 65552 : 48 + 65552 + 32].hex() == _doc_value("first 32 bytes of segment 1")
    assert blob[-16:].hex() == _doc_value("tag of segment 1")
    assert _doc_decrypt(blob, KEY, FILE_ID.bytes) == plaintext
