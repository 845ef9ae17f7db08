"""Working copies (Berkeley Protocol): previews made from the evidentiary copy, without location metadata.

The evidentiary copy is never changed. A preview of an image is re-encoded from
its pixels only (EXIF, GPS, XMP and comments are not carried over); a preview of
a PDF keeps the pages and drops the document information and XMP metadata.
Previews are encrypted exactly like the original and recorded as WorkingCopy rows.
"""

from __future__ import annotations

import io

from evidence.sealing import NewBlob, plaintext_chunks, seal

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp", "image/heic"}
PDF_TYPES = {"application/pdf"}
PREVIEWABLE = IMAGE_TYPES | PDF_TYPES
PREVIEW_MAX_PIXELS = 2048


def _plaintext(record) -> bytes:
    # Previews need the whole image in memory anyway; the size is capped by DALIL_EVIDENCE_PREVIEW_MAX_BYTES.
    buf = io.BytesIO()
    for chunk in plaintext_chunks(record):
        buf.write(chunk)
    return buf.getvalue()


def strip_image(data: bytes) -> tuple[bytes, str]:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    clean = upright.convert("RGBA" if has_alpha else "RGB")
    clean.thumbnail((PREVIEW_MAX_PIXELS, PREVIEW_MAX_PIXELS))
    clean.info = {}
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG")
        return out.getvalue(), "image/png"
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue(), "image/jpeg"


def strip_pdf(data: bytes) -> tuple[bytes, str]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted PDF")
    writer = PdfWriter()
    for page in reader.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if NameObject(key) in page:
                del page[NameObject(key)]
        writer.add_page(page)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), "application/pdf"


def make_preview(file, mime: str) -> tuple[NewBlob, str, str] | None:
    """(sealed preview, its media type, a note) or None when the content cannot be previewed."""
    data = _plaintext(file)
    try:
        if mime in PDF_TYPES:
            preview, preview_mime = strip_pdf(data)
            note = "PDF pages; document information and XMP metadata removed"
        else:
            preview, preview_mime = strip_image(data)
            note = "image re-encoded from pixels; EXIF, GPS and XMP metadata removed"
    except Exception:  # noqa: BLE001 - a file Pillow/pypdf cannot read simply gets no preview
        return None
    del data
    return seal([preview], label="evidence.workingcopy", kind="copies"), preview_mime, note
