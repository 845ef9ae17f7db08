"""Encrypting into and decrypting out of blobs: the key ring, the format and the storage put together.

This is the public streaming API for other apps (referrals packaging):
``plaintext_chunks(record)`` yields a file's verified plaintext, segment by
segment, without ever holding more than one segment; it raises
``keys.stream.TamperedError`` at the first bad segment and
``keys.ring.KeyUnavailable`` if the key cannot be unwrapped. Reading
through it records nothing: callers record custody (``evidence.services``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

from evidence import blobs
from keys import ring
from keys.purposes import EVIDENCE, key_context
from keys import stream
from keys.stream import SEGMENT_SIZE, VERSION, Encryptor, decrypt_range


class TooLarge(ValueError):
    pass


def record_context(label: str, pk) -> bytes:
    """The wrapping context of an evidence file's or working copy's data key."""
    return key_context(EVIDENCE, label, pk)


@dataclass
class NewBlob:
    """A finished blob that no database row points to yet (the row, an EvidenceFile or WorkingCopy, is an
    evidence.models.SealedBlob)."""

    id: uuid.UUID
    blob_name: str
    kek_id: str
    wrapped_key: bytes
    size: int
    sha256: str
    format_version: int = VERSION

    def discard(self) -> None:
        blobs.delete(self.blob_name)

    def record_fields(self) -> dict:
        return {
            "id": self.id, "blob_name": self.blob_name, "kek_id": self.kek_id, "wrapped_key": self.wrapped_key,
            "size": self.size, "sha256": self.sha256, "format_version": self.format_version,
        }


class SealingWriter:
    """Encrypt a stream into a new blob as it arrives; finish() returns a NewBlob, abort() leaves nothing."""

    @sensitive_variables("data_key")
    def __init__(self, *, label: str = "evidence.evidencefile", kind: str = "evidence", max_bytes: int | None = None):
        self.id = uuid.uuid4()
        data_key, self.kek_id, self.wrapped_key = ring.generate_data_key(context=record_context(label, self.id))
        self._enc = Encryptor(data_key, self.id)
        del data_key
        self._max = max_bytes
        self._writer = blobs.BlobWriter(blobs.blob_name(self.id, kind=kind))
        self.finished = False

    @property
    def size(self) -> int:
        return self._enc.size

    def write(self, chunk) -> None:
        if self._max is not None and self._enc.size + len(chunk) > self._max:
            raise TooLarge(self._max)
        self._writer.write_many(self._enc.update_pieces(chunk))

    def finish(self) -> NewBlob:
        self._writer.write(self._enc.finalize())
        self._writer.commit()
        self.finished = True
        return NewBlob(
            id=self.id, blob_name=self._writer.name, kek_id=self.kek_id, wrapped_key=self.wrapped_key,
            size=self._enc.size, sha256=self._enc.sha256.hexdigest(),
        )

    def abort(self) -> None:
        self._writer.abort()


def seal(chunks: Iterable[bytes], **kwargs) -> NewBlob:
    """Encrypt an iterable of chunks into a new blob (removed again on any error)."""
    writer = SealingWriter(**kwargs)
    try:
        for chunk in chunks:
            writer.write(chunk)
        return writer.finish()
    except BaseException:
        writer.abort()
        raise


def read_chunks(fileobj, size: int = 1024 * 1024) -> Iterator[bytes]:
    while chunk := fileobj.read(size):
        yield chunk


def _data_key(record) -> bytes:
    if not record.wrapped_key:
        raise ring.KeyUnavailable("this file's key was destroyed")
    return ring.unwrap(record.kek_id, bytes(record.wrapped_key), context=record_context(record._meta.label_lower, record.pk))


@sensitive_variables("data_key")
def plaintext_chunks(record, *, start_segment: int = 0) -> Iterator[bytes]:
    """Verified plaintext of an EvidenceFile or WorkingCopy, one segment at a time, from ``start_segment``."""
    data_key = _data_key(record)
    reader = blobs.open_reader(record.blob_name)
    try:
        yield from decrypt_range(reader.read, reader.seek, data_key, record.pk, size=record.size, start_segment=start_segment)
    finally:
        reader.close()


@sensitive_variables("data_key")
def plaintext_sha256(record) -> str:
    """SHA-256 (hex) of a file's verified plaintext, hashed on a second core beside the decryption, as sealing does."""
    data_key = _data_key(record)
    reader = blobs.open_reader(record.blob_name)
    try:
        return stream.plaintext_sha256(
            reader.read, reader.seek, data_key, record.pk, size=record.size, readinto=getattr(reader, "readinto", None)
        )
    finally:
        reader.close()


def plaintext_range(record, start: int, end: int) -> Iterator[bytes]:
    """Plaintext bytes start..end (inclusive), decrypting from the segment that holds ``start``."""
    first = start // SEGMENT_SIZE
    pos = first * SEGMENT_SIZE
    for chunk in plaintext_chunks(record, start_segment=first):
        lo = max(start - pos, 0)
        hi = min(end + 1 - pos, len(chunk))
        if lo < hi:
            yield chunk[lo:hi] if (lo or hi != len(chunk)) else chunk
        pos += len(chunk)
        if pos > end:
            return
