"""keys.stream.plaintext_sha256: the sweep's hash of a blob is the plaintext's, and fails on every tampering."""

import hashlib
import io
import secrets
import uuid

import pytest

from keys.stream import CIPHER_SEGMENT_SIZE, HEADER_SIZE, SEGMENT_SIZE, Encryptor, TamperedError, plaintext_sha256

KEY = secrets.token_bytes(32)
FILE_ID = uuid.uuid4()


def _blob(plaintext: bytes) -> bytes:
    enc = Encryptor(KEY, FILE_ID)
    return enc.update(plaintext) + enc.finalize()


def _sha(blob: bytes, size: int, file_id=FILE_ID) -> str:
    fh = io.BytesIO(blob)
    return plaintext_sha256(fh.read, fh.seek, KEY, file_id, size=size)


@pytest.mark.parametrize("size", [0, 1, SEGMENT_SIZE, 16 * SEGMENT_SIZE, 16 * SEGMENT_SIZE + 1, 40 * SEGMENT_SIZE - 3])
def test_the_hash_is_the_plaintexts(size):
    plaintext = secrets.token_bytes(size)
    assert _sha(_blob(plaintext), size) == hashlib.sha256(plaintext).hexdigest()


def test_every_tampering_fails():
    size = 20 * SEGMENT_SIZE + 7
    blob = _blob(secrets.token_bytes(size))
    flipped = bytearray(blob)
    flipped[HEADER_SIZE + 17 * CIPHER_SEGMENT_SIZE + 5] ^= 1
    cases = {
        "altered": (bytes(flipped), size),
        "truncated at a boundary": (blob[: HEADER_SIZE + 20 * CIPHER_SEGMENT_SIZE], 20 * SEGMENT_SIZE),
        "cut short": (blob[:-1], size),
        "appended": (blob + b"x", size),
        "segments swapped": (
            blob[:HEADER_SIZE] + blob[HEADER_SIZE + CIPHER_SEGMENT_SIZE : HEADER_SIZE + 2 * CIPHER_SEGMENT_SIZE]
            + blob[HEADER_SIZE : HEADER_SIZE + CIPHER_SEGMENT_SIZE] + blob[HEADER_SIZE + 2 * CIPHER_SEGMENT_SIZE :],
            size,
        ),
    }
    for name, (tampered, claimed) in cases.items():
        with pytest.raises(TamperedError):
            _sha(tampered, claimed)
            pytest.fail(name)
    with pytest.raises(TamperedError):
        _sha(blob, size, file_id=uuid.uuid4())  # spliced onto another record


@pytest.mark.parametrize("size", [0, 5, 16 * SEGMENT_SIZE, 33 * SEGMENT_SIZE + 9])
def test_readinto_and_read_agree(size):
    plaintext = secrets.token_bytes(size)
    blob = _blob(plaintext)
    fh = io.BytesIO(blob)
    with_readinto = plaintext_sha256(fh.read, fh.seek, KEY, FILE_ID, size=size, readinto=fh.readinto)
    assert with_readinto == _sha(blob, size) == hashlib.sha256(plaintext).hexdigest()
    fh = io.BytesIO(blob[:-3])
    with pytest.raises(TamperedError):
        plaintext_sha256(fh.read, fh.seek, KEY, FILE_ID, size=size, readinto=fh.readinto)
