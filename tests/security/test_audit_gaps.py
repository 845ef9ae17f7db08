"""Issue 15, item 7: what a probing insider or a phisher does must leave a trace.

A user's 404 on a case they may not see (with the reference tried), wrong and right second-factor
codes, a password change, reading the evidence list, a file's page, the referral and assessment pages:
each is an audit event. "Signed in" is written only once the second step is done, and many refusals
from one user put an alert in front of admins.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from rest_framework.test import APIClient

from api.services import token_issue
from audit import actions
from audit.models import AuditEvent
from tests.cast import enrol_totp, sign_in
from tests.factories import PASSWORD
from tests.security.fixtures_hardening import attach_image, keyring  # noqa: F401

pytestmark = pytest.mark.django_db


def events(action, **where):
    return AuditEvent.objects.filter(action=action, **where)


def test_a_404_on_someone_elses_case_is_recorded_with_the_reference_tried(cast):
    outsider = sign_in(Client(), cast.outsider)
    ref = cast.case.reference
    assert outsider.get(reverse("cases:detail", kwargs={"reference": ref})).status_code == 404
    assert outsider.get(reverse("evidence:list", kwargs={"reference": "DAL-1999-9999"})).status_code == 404
    tried = events(actions.ACCESS_NOT_FOUND, actor=cast.outsider)
    real = tried.get(data__reference=ref)
    assert real.data["case_exists"] is True and real.case_ref == ref
    assert tried.get(data__reference="DAL-1999-9999").data["case_exists"] is False
    # The same through the API, with the outsider's own token.
    raw = token_issue(actor=cast.outsider, user=cast.outsider, scope="read", days=1)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/v1/cases/{ref}/").status_code == 404
    assert events(actions.ACCESS_NOT_FOUND, actor=cast.outsider, data__reference=ref).count() == 2


def test_a_403_is_recorded(cast):
    caseworker = sign_in(Client(), cast.caseworker1)
    assert caseworker.get(reverse("manage:users")).status_code == 403
    assert events(actions.ACCESS_DENIED, actor=cast.caseworker1, data__view="manage:users").exists()


def test_second_step_codes_and_signing_in_are_recorded_in_order(cast):
    device = enrol_totp(cast.legal1)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "legal1", "password": PASSWORD})
    assert not events(actions.SIGN_IN, actor=cast.legal1).exists()  # not signed in yet: the password was only step one
    assert events(actions.SIGN_IN_PASSWORD_ACCEPTED, actor=cast.legal1).count() == 1
    assert client.post(reverse("accounts:2fa_verify"), {"token": "000000"}).status_code == 400
    assert events(actions.SECOND_FACTOR_FAILED, actor=cast.legal1).count() == 1
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code; this test does not
    assert client.post(reverse("accounts:2fa_verify"), {"token": str(totp(device.bin_key, drift=1)).zfill(6)}).status_code == 302
    trail = list(AuditEvent.objects.filter(actor=cast.legal1, action__startswith="auth.").order_by("seq").values_list("action", flat=True))
    assert trail == [actions.SIGN_IN_PASSWORD_ACCEPTED, actions.SECOND_FACTOR_FAILED, actions.SECOND_FACTOR_VERIFIED, actions.SIGN_IN]


def test_a_failed_security_key_answer_is_recorded(cast):
    enrol_totp(cast.legal1)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "legal1", "password": PASSWORD})
    response = client.post(reverse("otp_webauthn:credential-authentication-complete"), "{}", content_type="application/json")
    assert response.status_code >= 400 and DEVICE_ID_SESSION_KEY not in client.session
    assert events(actions.SECOND_FACTOR_FAILED, actor=cast.legal1, data__method="webauthn").count() == 1


def test_a_password_change_is_recorded(cast):
    client = sign_in(Client(), cast.caseworker1)
    new = "another long passphrase 42"
    response = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert events(actions.ACCOUNT_PASSWORD_CHANGED, actor=cast.caseworker1).count() == 1


def test_reading_evidence_referral_and_assessment_pages_is_recorded(cast, keyring, django_capture_on_commit_callbacks):  # noqa: F811
    f = attach_image(cast.case, cast.caseworker1, django_capture_on_commit_callbacks)
    legal = sign_in(Client(), cast.legal1)
    ref = cast.case.reference
    pages = {
        actions.EVIDENCE_LIST_VIEWED: reverse("evidence:list", kwargs={"reference": ref}),
        actions.EVIDENCE_FILE_PAGE_VIEWED: reverse("evidence:detail", kwargs={"reference": ref, "file_id": f.pk}),
        actions.REFERRAL_LIST_VIEWED: reverse("referrals:list", kwargs={"reference": ref}),
        actions.ASSESSMENT_VIEWED: reverse("referrals:assessment", kwargs={"reference": ref}),
    }
    for action, path in pages.items():
        assert legal.get(path).status_code == 200, path
        assert events(action, actor=cast.legal1, case_ref=ref).count() == 1, action
    assert str(f.pk) in events(actions.EVIDENCE_LIST_VIEWED).get().data["files"]


def test_repeated_denials_raise_an_alert_for_admins(cast, settings):
    prober = sign_in(Client(), cast.caseworker2)
    for n in range(settings.DALIL_DENIAL_ALERT_COUNT):
        prober.get(reverse("cases:detail", kwargs={"reference": f"DAL-2026-{9000 + n}"}))
    admin = sign_in(Client(), cast.admin1)
    for page in (reverse("audit:log"), reverse("manage:user_detail", kwargs={"pk": cast.caseworker2.pk})):
        body = admin.get(page).content.decode()
        assert "Repeated refusals" in body and "caseworker2" in body.split("Repeated refusals", 1)[1][:600], page
    # Not for another user's page, and not for a non-admin.
    assert "Repeated refusals" not in admin.get(reverse("manage:user_detail", kwargs={"pk": cast.caseworker1.pk})).content.decode()
    assert "Repeated refusals" not in sign_in(Client(), cast.caseworker1).get(reverse("accounts:account")).content.decode()
