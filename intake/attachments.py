"""Files a family sends: photos and audio only, with their metadata removed before sealing.

Photos are decoded and encoded afresh (Pillow), which leaves behind EXIF (GPS position, camera, time), XMP and
text chunks; audio keeps its sound and loses its tags (mutagen). Anything else is refused with a message: a
letter can be photographed.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _


class AttachmentRefused(ValueError):
    pass


_IMAGE = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"), "GIF": ("image/gif", "gif")}


def clean_file(name: str, data: bytes) -> dict:
    """{"name", "type", "data"} with metadata stripped, or AttachmentRefused."""
    stem = (name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "file"
    image = _image(data)
    if image is not None:
        mime, ext, clean = image
        return {"name": f"{stem}.{ext}", "type": mime, "data": clean}
    audio = _audio(data)
    if audio is not None:
        mime, ext, clean = audio
        return {"name": f"{stem}.{ext}", "type": mime, "data": clean}
    raise AttachmentRefused(_("%(name)s is not a photo or an audio recording; please send a photo of it instead.") % {"name": name})


def _image(data: bytes):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 60_000_000
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            if fmt not in _IMAGE:
                return None
            img.load()
            out = io.BytesIO()
            fresh = Image.new(img.mode, img.size)
            fresh.putdata(list(img.getdata())) if img.mode == "P" else fresh.paste(img)
            if img.mode == "P" and img.getpalette():
                fresh.putpalette(img.getpalette())
            fresh.save(out, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    mime, ext = _IMAGE[fmt]
    return mime, ext, out.getvalue()


def _audio(data: bytes):
    import mutagen

    buffer = io.BytesIO(data)
    try:
        found = mutagen.File(buffer)
    except mutagen.MutagenError:
        return None
    if found is None or not found.mime:
        return None
    mime = found.mime[0]
    buffer.seek(0)
    try:
        found.delete(buffer)
    except (mutagen.MutagenError, NotImplementedError, TypeError, ValueError):
        return None
    ext = {"audio/mp3": "mp3", "audio/mpeg": "mp3", "audio/ogg": "ogg", "audio/mp4": "m4a", "audio/x-wav": "wav", "audio/flac": "flac"}.get(mime, "audio")
    return mime, ext, buffer.getvalue()
