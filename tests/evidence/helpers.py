from pathlib import Path

from django.core.files.storage import default_storage

from evidence import services
from evidence.sealing import plaintext_chunks


def attach(cast, content, *, name="statement.pdf", source_label="the person's sister", **kw):
    return services.evidence_attach(
        actor=cast.caseworker1, case=cast.case, content=content, original_name=name, source_label=source_label, **kw
    )


def plaintext(record) -> bytes:
    return b"".join(plaintext_chunks(record))


def blob_path(record) -> Path:
    return Path(default_storage.path(record.blob_name))
