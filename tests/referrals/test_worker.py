"""The build on a real Celery worker (CI starts one; locally: see docs/referrals.md, "Tests")."""

import time

import pytest

from evidence import blobs
from referrals import services
from referrals.models import Referral
from tests.referrals.conftest import verify_package
from tests.referrals.conftest import attach, build_case, download, make_referral

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def _media_root(settings):
    """The worker is another process and stores blobs under the settings' MEDIA_ROOT, not a per-test folder."""
    yield settings.MEDIA_ROOT


def test_build_on_a_real_worker(celery_worker, caseworker, legal, tmp_path):
    from keys.store import forget_keys

    forget_keys()  # an earlier transactional test's flush emptied the field key table this process remembers
    case, _events, _source = build_case(caseworker, legal)
    evidence_file = attach(caseworker, case)
    referral = make_referral(legal, case, files=[evidence_file])
    services.referral_build_request(actor=legal, referral=referral)
    deadline = time.monotonic() + 90
    seen = set()
    while time.monotonic() < deadline:
        referral.refresh_from_db()
        seen.add(referral.build_progress)
        if referral.build_status in (Referral.BuildStatus.DONE, Referral.BuildStatus.FAILED):
            break
        time.sleep(0.2)
    try:
        assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error or referral.build_status
        assert referral.build_attempts == 1 and referral.build_progress == 100
        passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
        path = download(legal, referral, tmp_path / "package.zip")
        report = verify_package(str(path), passphrase)
        assert report.ok, report.failed
    finally:
        for name in (referral.package_name, evidence_file.blob_name):
            if name:
                blobs.delete(name)
