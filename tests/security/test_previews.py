"""Item 9: a file's preview (working copy) is its content, so it opens only for whoever may download the file.

The attacker: an admin who self-granted view_case on a case (audited, meant for oversight) but holds no
download_evidence, and who tries the preview's address instead of the refused download.
"""

import pytest

from cases import access
from tests.security.fixtures_hardening import attach_image, evidence_url, keyring  # noqa: F401

pytestmark = pytest.mark.usefixtures("keyring")


@pytest.fixture
def image(cast, django_capture_on_commit_callbacks):
    return attach_image(cast.case, cast.caseworker1, django_capture_on_commit_callbacks)


def test_a_viewer_without_download_gets_no_preview_and_sees_no_link(client, cast, sign_in, image):
    access.case_grant_self(actor=cast.admin1, case=cast.case)
    sign_in(client, cast.admin1)
    page = client.get(evidence_url("detail", cast.case, image))
    assert page.status_code == 200  # may view the case and the file's record
    preview_url = evidence_url("working_copy", cast.case, image, copy_id=image.preview.pk)
    assert preview_url not in page.content.decode()
    for url in (preview_url, preview_url + "?download=1", evidence_url("download", cast.case, image)):
        assert client.get(url).status_code == 404, url
    assert not image.custody_events.filter(action="viewed", actor=cast.admin1).exists()


def test_whoever_may_download_gets_the_preview_and_its_link(client, cast, sign_in, image):
    sign_in(client, cast.legal1)
    preview_url = evidence_url("working_copy", cast.case, image, copy_id=image.preview.pk)
    assert preview_url in client.get(evidence_url("detail", cast.case, image)).content.decode()
    response = client.get(preview_url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
