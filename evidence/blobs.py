"""Ciphertext blobs in Django's default storage: local disk, or S3-compatible storage via django-storages.

Writes stream: on local disk into ``<name>.part`` then an atomic rename, so a
crashed upload never leaves something that looks like a finished blob; on S3 as
a multipart upload that is aborted on failure. Reads stream too: the storage
API's S3 file downloads a whole object before the first byte, so S3 reads use
ranged GETs on the storage's own bucket instead.
"""

from __future__ import annotations

import os
import uuid

from django.core.files.storage import FileSystemStorage, default_storage

READ_BUFFER = 1024 * 1024


def storage():
    return default_storage


def _is_s3(store) -> bool:
    return store.__class__.__module__.startswith("storages.backends.s3")


def blob_name(file_id: uuid.UUID, *, kind: str = "evidence") -> str:
    return f"{kind}/{file_id.hex[:2]}/{file_id}.dlev"


class BlobWriter:
    """Write a blob in pieces; commit() makes it visible, abort() removes every trace."""

    def __init__(self, name: str):
        self.name = name
        self.store = storage()
        self.size = 0
        self._done = False
        if isinstance(self.store, FileSystemStorage):
            self._final = self.store.path(name)
            os.makedirs(os.path.dirname(self._final), mode=0o700, exist_ok=True)
            self._tmp = self._final + ".part"
            self._fh = open(self._tmp, "xb", buffering=0)
        else:
            self._final = self._tmp = None
            self._fh = self.store.open(name, "wb")

    def write(self, data) -> None:
        if data:
            self._fh.write(data)
            self.size += len(data)

    def write_many(self, pieces: list) -> None:
        """Several pieces in one system call where the storage is a local file."""
        if not pieces:
            return
        if self._tmp:
            total = sum(len(p) for p in pieces)
            written = os.writev(self._fh.fileno(), pieces)
            if written != total:  # a short write: finish the rest piece by piece
                rest = b"".join(pieces)[written:]
                while rest:
                    rest = rest[os.write(self._fh.fileno(), rest):]
            self.size += total
        else:
            for piece in pieces:
                self.write(piece)

    def commit(self) -> None:
        if self._done:
            return
        if self._tmp:
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(self._tmp, self._final)
        else:
            self._fh.close()
        self._done = True

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            if self._tmp:
                self._fh.close()
                if os.path.exists(self._tmp):
                    os.unlink(self._tmp)
            else:
                multipart = getattr(self._fh, "_multipart", None)
                if multipart is not None:
                    multipart.abort()
                    self._fh._multipart = None
                    self._fh._is_dirty = False
                    self._fh._raw_bytes_written = 1  # nothing to create on close
                self._fh.close()
        finally:
            delete(self.name)


class _S3Reader:
    """read/seek over ranged GETs, one connection at a time."""

    def __init__(self, store, name: str):
        self._obj = store.bucket.Object(store._normalize_name(name))
        self._pos = 0
        self._body = None

    def seek(self, pos: int) -> None:
        if self._body is not None and pos != self._pos:
            self._body.close()
            self._body = None
        self._pos = pos

    def read(self, size: int) -> bytes:
        if self._body is None:
            from botocore.exceptions import ClientError

            try:
                self._body = self._obj.get(Range=f"bytes={self._pos}-")["Body"]
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                    return b""
                raise
        data = self._body.read(size)
        self._pos += len(data)
        return data

    def close(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


class _FileReader:
    def __init__(self, path: str):
        self._fh = open(path, "rb", buffering=READ_BUFFER)
        self.read = self._fh.read
        self.readinto = self._fh.readinto

    def seek(self, pos: int) -> None:
        self._fh.seek(pos)

    def close(self) -> None:
        self._fh.close()


class _StorageReader:
    def __init__(self, store, name):
        self._fh = store.open(name, "rb")
        self.read = self._fh.read

    def seek(self, pos: int) -> None:
        self._fh.seek(pos)

    def close(self) -> None:
        self._fh.close()


def open_reader(name: str):
    """A reader with read(n), seek(pos) and close(); FileNotFoundError if the blob is gone."""
    store = storage()
    if isinstance(store, FileSystemStorage):
        return _FileReader(store.path(name))
    if _is_s3(store):
        if not store.exists(name):
            raise FileNotFoundError(name)
        return _S3Reader(store, name)
    return _StorageReader(store, name)


def exists(name: str) -> bool:
    return bool(name) and storage().exists(name)


def size(name: str) -> int:
    return storage().size(name)


def delete(name: str) -> None:
    if name:
        storage().delete(name)
