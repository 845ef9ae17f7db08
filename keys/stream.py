"""The Dalil evidence format, version 1: STREAM over AES-256-GCM in 64 KiB segments.

docs/evidence-format.md describes it byte by byte; this module is the only code
that reads or writes it. In short:

    blob    = header(48) || segment_0 || ... || segment_{n-1}
    header  = "DLEV" || 0x01 || uint32be(65536) || salt(32) || nonce_prefix(7)
    key     = HKDF-SHA-256(ikm=data_key, salt=salt, info="dalil-evidence-v1" 0x00 || file_id(16), L=32)
    nonce_i = nonce_prefix(7) || uint32be(i) || (0x01 if last else 0x00)
    seg_i   = AES-256-GCM(key, nonce_i, plaintext_i, aad=header || file_id) (ciphertext || 16-byte tag)

Every plaintext segment is 65536 bytes except the last, which holds 1..65536
bytes (0 only when the whole plaintext is empty). The counter stops reordering,
dropping and duplication; the last flag stops truncation at a segment boundary;
the per-file salt, key and the file id in the associated data stop splicing from
another file.
"""

from __future__ import annotations

import secrets
import struct
import uuid
from collections.abc import Callable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from keys.hashing import OverlappedSHA256

MAGIC = b"DLEV"
VERSION = 1
SEGMENT_SIZE = 65536
TAG_SIZE = 16
SALT_SIZE = 32
PREFIX_SIZE = 7
HEADER_SIZE = len(MAGIC) + 1 + 4 + SALT_SIZE + PREFIX_SIZE  # 48
CIPHER_SEGMENT_SIZE = SEGMENT_SIZE + TAG_SIZE
HKDF_INFO = b"dalil-evidence-v1\x00"
MAX_SEGMENTS = 2**32


class EvidenceFormatError(Exception):
    """The blob is not a well-formed Dalil evidence blob (or not this version)."""


class TamperedError(EvidenceFormatError):
    """A segment failed authentication: the blob was altered, truncated, reordered or spliced, or the key is wrong."""

    def __init__(self, segment: int, reason: str = "authentication failed"):
        self.segment = segment
        super().__init__(f"segment {segment}: {reason}")


def _file_id_bytes(file_id) -> bytes:
    if isinstance(file_id, uuid.UUID):
        return file_id.bytes
    if isinstance(file_id, bytes) and len(file_id) == 16:
        return file_id
    return uuid.UUID(str(file_id)).bytes


def derive_key(data_key: bytes, salt: bytes, file_id) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO + _file_id_bytes(file_id)).derive(data_key)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= MAX_SEGMENTS:
        raise EvidenceFormatError("too many segments")
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def build_header(salt: bytes, prefix: bytes) -> bytes:
    return MAGIC + bytes([VERSION]) + struct.pack(">I", SEGMENT_SIZE) + salt + prefix


def parse_header(header: bytes) -> tuple[bytes, bytes]:
    """(salt, nonce_prefix) from a header, or EvidenceFormatError."""
    if len(header) != HEADER_SIZE:
        raise EvidenceFormatError("blob is shorter than its header")
    if header[:4] != MAGIC:
        raise EvidenceFormatError("not a Dalil evidence blob")
    if header[4] != VERSION:
        raise EvidenceFormatError(f"unsupported format version {header[4]}")
    if struct.unpack(">I", header[5:9])[0] != SEGMENT_SIZE:
        raise EvidenceFormatError("unsupported segment size")
    return header[9 : 9 + SALT_SIZE], header[9 + SALT_SIZE : HEADER_SIZE]


def segment_count(plaintext_size: int) -> int:
    return max(1, -(-plaintext_size // SEGMENT_SIZE))


def blob_size(plaintext_size: int) -> int:
    return HEADER_SIZE + plaintext_size + TAG_SIZE * segment_count(plaintext_size)


def plaintext_size(blob_len: int) -> int:
    """The plaintext length implied by a blob's length, or EvidenceFormatError if no plaintext has that length."""
    body = blob_len - HEADER_SIZE
    if body < TAG_SIZE:
        raise EvidenceFormatError("blob is too short")
    segments = -(-body // CIPHER_SEGMENT_SIZE)
    last = body - (segments - 1) * CIPHER_SEGMENT_SIZE
    if last < TAG_SIZE or (last == TAG_SIZE and segments > 1):
        raise EvidenceFormatError("blob length is impossible (truncated?)")
    return body - segments * TAG_SIZE


class Encryptor:
    """Incremental encryption: feed plaintext with update(), then finalize(). Holds at most one segment plus one chunk.

    ``sha256`` and ``size`` describe the plaintext seen so far, computed in the same pass.
    """

    def __init__(self, data_key: bytes, file_id, *, _salt: bytes | None = None, _prefix: bytes | None = None):
        salt = _salt if _salt is not None else secrets.token_bytes(SALT_SIZE)
        prefix = _prefix if _prefix is not None else secrets.token_bytes(PREFIX_SIZE)
        self.header = build_header(salt, prefix)
        self._aad = self.header + _file_id_bytes(file_id)
        self._aead = AESGCM(derive_key(data_key, salt, file_id))
        self._prefix = prefix
        self._index = 0
        self._buf = bytearray()
        self._started = False
        self._done = False
        self.sha256 = OverlappedSHA256()
        self.size = 0

    def _seal(self, data, last: bool) -> bytes:
        out = self._aead.encrypt(_nonce(self._prefix, self._index, last), data, self._aad)
        self._index += 1
        return out

    def update(self, chunk) -> bytes:
        """Ciphertext for whatever whole segments are known not to be the last (the header comes first)."""
        return b"".join(self.update_pieces(chunk))

    def update_pieces(self, chunk) -> list:
        """Like update(), as a list of pieces (header, segments) so that no copy of the whole is made."""
        if self._done:
            raise ValueError("encryptor already finalized")
        self.sha256.update(chunk)
        length = len(chunk)
        self.size += length
        out = []
        if not self._started:
            self._started = True
            out.append(self.header)
        buf = self._buf
        view = memoryview(chunk)
        pos = 0
        if buf:
            need = SEGMENT_SIZE - len(buf)
            if length <= need:
                buf += view  # the segment is not full yet, or might be the last
                return out
            buf += view[:need]
            pos = need
            out.append(self._seal(buf, False))
            buf.clear()
        # Seal straight from the caller's buffer; keep back the tail, which might be the last segment.
        while length - pos > SEGMENT_SIZE:
            out.append(self._seal(view[pos : pos + SEGMENT_SIZE], False))
            pos += SEGMENT_SIZE
        buf += view[pos:]
        return out

    def finalize(self) -> bytes:
        """The last segment (flag 0x01), preceded by the header if nothing was written yet."""
        if self._done:
            raise ValueError("encryptor already finalized")
        head = b"" if self._started else self.header
        self._started = self._done = True
        last = self._seal(bytes(self._buf), True)
        self._buf = bytearray()
        return head + last


def encrypt_chunks(chunks, data_key: bytes, file_id) -> Iterator[bytes]:
    """Encrypt an iterable of plaintext chunks into ciphertext pieces (header first)."""
    enc = Encryptor(data_key, file_id)
    for chunk in chunks:
        out = enc.update(chunk)
        if out:
            yield out
    yield enc.finalize()


def _read_exact(read: Callable[[int], bytes], size: int) -> bytes:
    data = read(size)
    if len(data) == size or not data:
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


class Decryptor:
    """Opens one blob for decryption; decrypt segments sequentially or from any index."""

    def __init__(self, data_key: bytes, file_id, header: bytes):
        salt, self._prefix = parse_header(header)
        self._aad = header + _file_id_bytes(file_id)
        self._aead = AESGCM(derive_key(data_key, salt, file_id))

    def open_segment(self, index: int, data, *, last: bool) -> bytes:
        if len(data) < TAG_SIZE or (not last and len(data) != CIPHER_SEGMENT_SIZE):
            raise TamperedError(index, "segment has the wrong length")
        if last and len(data) == TAG_SIZE and index > 0:
            raise TamperedError(index, "empty last segment after data")
        try:
            return self._aead.decrypt(_nonce(self._prefix, index, last), data, self._aad)
        except InvalidTag:
            raise TamperedError(index) from None

    def open_segment_into(self, index: int, data, out, *, last: bool) -> None:
        """open_segment() into ``out`` (a writable buffer of the plaintext's length): no bytes object per segment."""
        if len(data) < TAG_SIZE or (not last and len(data) != CIPHER_SEGMENT_SIZE) or len(out) != len(data) - TAG_SIZE:
            raise TamperedError(index, "segment has the wrong length")
        if last and len(data) == TAG_SIZE and index > 0:
            raise TamperedError(index, "empty last segment after data")
        try:
            self._aead.decrypt_into(_nonce(self._prefix, index, last), data, self._aad, out)
        except InvalidTag:
            raise TamperedError(index) from None


def decrypt_stream(read: Callable[[int], bytes], data_key: bytes, file_id) -> Iterator[bytes]:
    """Plaintext segments from a reader positioned at the start of a blob, each verified before it is yielded.

    Reads one segment ahead so that the last segment is known; a stream that ends
    without a valid last segment raises TamperedError.
    """
    header = _read_exact(read, HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise EvidenceFormatError("blob is shorter than its header")
    dec = Decryptor(data_key, file_id, header)
    index = 0
    current = _read_exact(read, CIPHER_SEGMENT_SIZE)
    if not current:
        raise TamperedError(0, "no segments (truncated)")
    while True:
        nxt = _read_exact(read, CIPHER_SEGMENT_SIZE) if len(current) == CIPHER_SEGMENT_SIZE else b""
        last = not nxt
        yield dec.open_segment(index, current, last=last)
        if last:
            return
        index += 1
        current = nxt


def decrypt_range(
    read: Callable[[int], bytes],
    seek: Callable[[int], object],
    data_key: bytes,
    file_id,
    *,
    size: int,
    start_segment: int = 0,
) -> Iterator[bytes]:
    """Plaintext segments from ``start_segment`` on, for a blob whose plaintext is ``size`` bytes (from the record).

    Costs one segment to start anywhere. The last index comes from the recorded size,
    so a blob cut at a segment boundary fails on its (then unflagged) last segment.
    """
    count = segment_count(size)
    if not 0 <= start_segment < count:
        raise ValueError("start segment out of range")
    seek(0)
    header = _read_exact(read, HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise EvidenceFormatError("blob is shorter than its header")
    dec = Decryptor(data_key, file_id, header)
    if start_segment:
        seek(HEADER_SIZE + start_segment * CIPHER_SEGMENT_SIZE)
    for index in range(start_segment, count):
        last = index == count - 1
        want = (size - index * SEGMENT_SIZE + TAG_SIZE) if last else CIPHER_SEGMENT_SIZE
        data = _read_exact(read, want)
        if len(data) != want:
            raise TamperedError(index, "blob is truncated")
        yield dec.open_segment(index, data, last=last)
    if last and read(1):
        raise TamperedError(count - 1, "data after the last segment")


def _fill(read: Callable[[int], bytes], readinto, view: memoryview) -> int:
    """Read into ``view`` until it is full or the blob ends; how many bytes came."""
    got = 0
    while got < len(view):
        if readinto is not None:
            arrived = readinto(view[got:])
        else:
            piece = read(len(view) - got)
            arrived = len(piece)
            view[got : got + arrived] = piece
        if not arrived:
            break
        got += arrived
    return got


def plaintext_sha256(
    read: Callable[[int], bytes], seek: Callable[[int], object], data_key: bytes, file_id, *, size: int, readinto=None
) -> str:
    """SHA-256 (hex) of a blob's verified plaintext, as the integrity sweep needs it, at the speed of the cipher.

    About 2 MiB of ciphertext at a time is read (with ``readinto`` when the reader has it: one copy, no new
    object) and decrypted straight into one of two plaintext buffers, while the other is hashed on a pool
    thread. The buffers are reused (fresh ones would cost a page fault per 4 KiB), and no plaintext leaves
    this function. Raises like decrypt_range().
    """
    count = segment_count(size)
    seek(0)
    header = _read_exact(read, HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise EvidenceFormatError("blob is shorter than its header")
    dec = Decryptor(data_key, file_id, header)
    digest = OverlappedSHA256()
    per_batch = OverlappedSHA256.LENT_BATCH // SEGMENT_SIZE
    plain = [memoryview(bytearray(min(size, OverlappedSHA256.LENT_BATCH))) for _ in range(2)]
    cipher = memoryview(bytearray(min(blob_size(size) - HEADER_SIZE, per_batch * CIPHER_SEGMENT_SIZE)))
    for first in range(0, count, per_batch):
        indexes = range(first, min(first + per_batch, count))
        batch_plain = min(size - first * SEGMENT_SIZE, len(indexes) * SEGMENT_SIZE)
        view = plain[(first // per_batch) % 2][:batch_plain]
        wanted = batch_plain + TAG_SIZE * len(indexes) if batch_plain else TAG_SIZE
        got = _fill(read, readinto, cipher[:wanted])
        for index in indexes:
            at = (index - first) * CIPHER_SEGMENT_SIZE
            end = min(at + CIPHER_SEGMENT_SIZE, wanted)
            if got < end:
                raise TamperedError(index, "blob is truncated")
            out = view[(index - first) * SEGMENT_SIZE :][: end - at - TAG_SIZE]
            dec.open_segment_into(index, cipher[at:end], out, last=index == count - 1)
        digest.update_lent(view)
    if read(1):
        raise TamperedError(count - 1, "data after the last segment")
    return digest.hexdigest()
