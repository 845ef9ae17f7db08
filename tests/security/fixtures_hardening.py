"""Fixtures of the hardening tests, imported by each test module (no conftest here: another suite shares the folder).

`keyring` gives the test its own key-encryption key, as tests/evidence does, so sealing and files are real.
"""

import io

from django.urls import reverse

from tests.evidence.conftest import _local_kek

# tests/evidence's per-test key ring (autouse there): each module that imports `keyring` gets its own key.
keyring = _local_kek


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(out, format="JPEG")
    return out.getvalue()


def attach_image(case, actor, django_capture_on_commit_callbacks):
    """A real JPEG attached through the service, its preview made by the (eager) task."""
    from evidence import services

    with django_capture_on_commit_callbacks(execute=True):
        f = services.evidence_attach(
            actor=actor, case=case, content=jpeg(), original_name="injury.jpg", source_label="the person's sister",
        )
    f.refresh_from_db()
    assert f.preview is not None, "the preview was not made"
    return f


def evidence_url(name, case, f=None, **kw):
    kwargs = {"reference": case.reference, **kw}
    if f is not None:
        kwargs["file_id"] = f.pk
    return reverse(f"evidence:{name}", kwargs=kwargs)
