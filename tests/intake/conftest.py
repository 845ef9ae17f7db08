import io

import pytest
from PIL import Image


def jpeg_with_gps() -> bytes:
    """A photo carrying EXIF with a GPS position, as phones write them."""
    img = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker-Secret"  # camera make
    gps = {1: "N", 2: (41.0, 18.0, 0.0), 3: "E", 4: (69.0, 14.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


ANSWERS = {
    "relationship": "mother",
    "name": "Нодиржон Қаҳҳоров",
    "birth_date": "14.03.1996",
    "nationality": "TJ",
    "home_region": "Хуҷанд",
    "approach": "migrant_raid",
    "where_when": "Taken from the market in Lyublino in March",
    "pressure": ["prosecution", "violence"],
    "signed": "yes",
    "whereabouts": "front",
    "last_contact": "A call from an unknown number in May",
    "story": "They said he would go to prison for ten years otherwise",
    "channel": "telegram",
    "contact": "@safe_handle_777",
    "safe_times": "after 20:00",
    "avoid": "do not say lawyer",
    "consent_documentation": "on",
    "consent_legal": "on",
}
SECRETS = ["Нодиржон", "Қаҳҳоров", "Lyublino", "ten years", "safe_handle_777", "do not say lawyer", "Хуҷанд", "PhoneMaker-Secret"]


def upload(name, data, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate and try counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
