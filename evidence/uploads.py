"""Upload handlers that never put plaintext on disk.

``EncryptingUploadHandler`` encrypts each uploaded file as its chunks arrive and
hands the view a ``SealedUpload`` (the blob is already in storage, the plaintext
never left memory, one segment at a time). ``InMemoryOnlyUploadHandler`` is the
project-wide handler: where Django would spill a large upload into a plaintext
temporary file, it refuses the upload instead.
"""

from __future__ import annotations

import errno
import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from evidence.sealing import NewBlob, SealingWriter
from keys import ring


class InMemoryOnlyUploadHandler(FileUploadHandler):
    """The project-wide handler: keep an upload in memory up to DALIL_UPLOAD_MEMORY_MAX_BYTES, never on disk.

    Django's default would spill anything over 2.5 MB into a plaintext temporary
    file; here a larger upload is refused instead (400). Evidence views replace
    this with EncryptingUploadHandler, which has no such limit.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        limit = settings.DALIL_UPLOAD_MEMORY_MAX_BYTES
        if start + len(raw_data) > limit:
            self._buffer = io.BytesIO()
            raise RequestDataTooBig(f"An uploaded file exceeded {limit} bytes.")
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer, field_name=self.field_name, name=self.file_name, content_type=self.content_type,
            size=file_size, charset=self.charset, content_type_extra=self.content_type_extra,
        )


class SealedUpload(UploadedFile):
    """What a view gets in request.FILES: metadata and the sealed blob, no content."""

    def __init__(self, sealed: NewBlob, name: str, content_type: str):
        super().__init__(file=None, name=name, content_type=content_type, size=sealed.size)
        self.sealed = sealed

    def open(self, mode=None):
        raise ValueError("an encrypted upload cannot be reopened as plaintext")

    def chunks(self, chunk_size=None):
        raise ValueError("an encrypted upload cannot be read back")

    def close(self):
        return None


FAILURES = {
    "too_large": _("The file is larger than the limit of %(limit)s bytes."),
    "key_unavailable": _("Files cannot be encrypted right now: the encryption key is unavailable."),
    "storage_full": _("There is not enough space in the evidence storage to keep this file. Nothing was saved."),
    "storage_failed": _("The evidence storage could not write this file. Nothing was saved."),
}


class EncryptingUploadHandler(FileUploadHandler):
    """Encrypt uploads into blobs as they stream in. The view must call cleanup() when it is done."""

    chunk_size = 1024 * 1024  # divisible by 4 (base64) and large enough to keep per-chunk overhead small

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.error: str | None = None
        self.kind: str | None = None  # what went wrong, for callers that answer by kind (one of FAILURES)
        self._writer: SealingWriter | None = None
        self._made: list[NewBlob] = []
        self._claimed: set[str] = set()

    def fail(self, kind: str) -> None:
        """Record why the upload is refused: a kind the caller answers by, and the message shown for it."""
        self.kind = kind
        self.error = FAILURES[kind] % {"limit": self.max_bytes} if kind == "too_large" else str(FAILURES[kind])

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body far larger than the limit is refused before anything is encrypted.
        if content_length and content_length > self.max_bytes + 1024 * 1024:
            self.fail("too_large")
        return None

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if self.error:
            raise StopUpload(connection_reset=True)
        try:
            self._writer = SealingWriter(max_bytes=self.max_bytes)
        except OSError as exc:
            self._storage_failed(exc)
        except ring.KeyUnavailable:
            self.fail("key_unavailable")
            raise StopUpload(connection_reset=False) from None

    def receive_data_chunk(self, raw_data, start):
        from evidence.sealing import TooLarge

        try:
            self._writer.write(raw_data)
        except TooLarge:
            self.fail("too_large")
            self._abort_current()
            raise StopUpload(connection_reset=True) from None
        except OSError as exc:
            self._storage_failed(exc)
        except BaseException:
            self._abort_current()
            raise
        return None

    def _storage_failed(self, exc: OSError):
        # A full disk (or any storage failure) is the server's problem, told plainly; nothing stays behind.
        self.fail("storage_full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "storage_failed")
        self._abort_current()
        raise StopUpload(connection_reset=True) from None

    def file_complete(self, file_size):
        if self._writer is None:
            return None
        try:
            sealed = self._writer.finish()
        except OSError as exc:
            self._storage_failed(exc)
        except BaseException:
            self._abort_current()
            raise
        self._writer = None
        self._made.append(sealed)
        return SealedUpload(sealed, self.file_name, self.content_type or "")

    def upload_interrupted(self):
        # The client went away mid-file: nothing of the partial file may remain.
        self.error = self.error or _("The upload was interrupted before the file was complete.")
        self._abort_current()

    def _abort_current(self):
        if self._writer is not None:
            self._writer.abort()
            self._writer = None

    def claim(self, sealed: NewBlob) -> None:
        """The blob now belongs to a committed record."""
        self._claimed.add(sealed.blob_name)

    def cleanup(self) -> None:
        """Remove every blob this request made that no record claimed (form errors, failures, disconnects)."""
        self._abort_current()
        for sealed in self._made:
            if sealed.blob_name not in self._claimed:
                sealed.discard()
        self._made = []
