"""Issue 15, probed again after the fixes: what the reviewer tried on the parts that came later (family reports).

Each test is the attacker's move against one rule, on the real views; each was run once with its rule
broken, and failed.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit import actions
from audit.models import AuditEvent
from intake.models import Submission
from tests.cast import sign_in
from tests.intake.conftest import ANSWERS, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    cache.clear()  # the public form's rate counters live in the cache
    assert Client().post("/report/en/", {**ANSWERS, "files": [upload("passport.jpg", jpeg_with_gps())]}).status_code == 200
    return Submission.objects.get()


def test_downloading_a_family_reports_photo_is_recorded(cast, report):
    """Item 7: a caseworker (any triage staff) downloads the family's photo of a report: a read, so an audit event."""
    staff = sign_in(Client(), cast.outsider)
    attachment = report.attachments.get()
    url = reverse("intake:attachment", kwargs={"submission_id": report.pk, "attachment_id": attachment.pk})
    response = staff.get(url)
    assert response.status_code == 200 and response.content[:3] == b"\xff\xd8\xff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=actions.INTAKE_VIEWED, actor=cast.outsider)
    assert event.data["attachment"] == attachment.pk and event.target_id == str(report.pk)


def test_guessing_second_factor_codes_with_the_password_alone_is_throttled(cast):
    """Item 1: a phisher holding only the password tries codes: after a few wrong ones even the right code waits."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.oath import totp

    from tests.cast import enrol_totp
    from tests.factories import PASSWORD

    device = enrol_totp(cast.legal1)
    attacker = Client()
    attacker.post(reverse("accounts:login"), {"username": "legal1", "password": PASSWORD})
    for guess in ("000000", "111111", "222222", "333333", "444444"):
        assert attacker.post(reverse("accounts:2fa_verify"), {"token": guess}).status_code == 400
    right = str(totp(device.bin_key, drift=1)).zfill(6)  # the current step was spent by the enrolment
    assert attacker.post(reverse("accounts:2fa_verify"), {"token": right}).status_code == 400
    assert DEVICE_ID_SESSION_KEY not in attacker.session
    assert attacker.get(reverse("cases:list")).status_code == 302  # still only half signed in
