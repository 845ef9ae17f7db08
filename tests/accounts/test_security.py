"""Account security: lockout, second factors, sessions, sign-out everywhere, deactivation, re-login."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from accounts import services
from accounts.models import CaseUserObjectPermission
from audit.models import AuditEvent
from cases import access
from cases.models import Case
from tests.cast import enrol_totp, enrolment_link, make_stale, make_user, sign_in
from tests.factories import PASSWORD, make_case

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


# --- Lockout ------------------------------------------------------------------


def test_lockout_per_user_with_a_clear_message(cast, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        assert login(client, "caseworker1", "wrong-password-123").status_code == 400
    response = login(client, "caseworker1", "wrong-password-123")
    assert response.status_code == 429
    assert b"Sign-in is locked" in response.content
    # Now even the right password is refused, from another address too: the username is locked.
    other = Client(REMOTE_ADDR="10.9.9.9")
    response = login(other, "caseworker1", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and "_auth_user_id" not in other.session
    assert AuditEvent.objects.filter(action="account.locked_out", data__username="caseworker1").exists()
    # Another user from a fresh address still signs in.
    assert login(Client(REMOTE_ADDR="10.1.1.1"), "caseworker2", REMOTE_ADDR="10.1.1.1").status_code == 302


def test_lockout_per_ip_address(cast, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.2.2.2")
    for name in ("nobody1", "nobody2", "nobody3"):
        login(client, name, "wrong-password-123", REMOTE_ADDR="10.2.2.2")
    response = login(client, "caseworker2", PASSWORD, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert login(Client(REMOTE_ADDR="10.3.3.3"), "caseworker2", REMOTE_ADDR="10.3.3.3").status_code == 302


# --- Second factor enforcement ------------------------------------------------


def test_legal_without_second_factor_is_sent_to_enrolment_not_in(cast):
    client = Client()
    assert login(client, "legal1").status_code == 302
    response = client.get(reverse("cases:detail", kwargs={"reference": cast.case.reference}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:2fa_enrol"))
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:2fa_enrol"))


def test_totp_enrolment_with_local_qr_then_sign_in_needs_the_code(cast):
    client = Client()
    login(client, "legal1")
    # A first factor needs the admin's one-time enrolment link, opened in this signed-in session.
    assert client.get(reverse("accounts:2fa_totp"))["Location"].startswith(reverse("accounts:2fa_enrol"))
    client.get(enrolment_link(cast.legal1))
    page = client.get(reverse("accounts:2fa_totp"))
    assert page.status_code == 200 and b"<svg" in page.content and b"<script" not in page.content.split(b"<main")[1]
    device = cast.legal1.totpdevice_set.get(confirmed=False)
    assert client.post(reverse("accounts:2fa_totp"), {"token": ""}).status_code == 400
    response = client.post(reverse("accounts:2fa_totp"), {"token": str(totp(device.bin_key)).zfill(6)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert AuditEvent.objects.filter(action="account.2fa.enrolled", actor=cast.legal1, data__method="totp").exists()
    # Enrolling did not sign the session in: the new factor is used once (its next code) to finish.
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:2fa_verify"))
    assert client.post(reverse("accounts:2fa_verify"), {"token": str(totp(device.bin_key, drift=1)).zfill(6)}).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200

    # A new sign-in is held at the second step until the code is given.
    fresh = Client()
    login(fresh, "legal1")
    held = fresh.get(reverse("cases:list"))
    assert held["Location"].startswith(reverse("accounts:2fa_verify"))
    assert fresh.post(reverse("accounts:2fa_verify"), {"token": "123456"}).status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    ok = fresh.post(reverse("accounts:2fa_verify") + "?next=/", {"token": str(totp(device.bin_key)).zfill(6)})
    assert ok.status_code == 302
    assert fresh.get(reverse("cases:list")).status_code == 200


def test_backup_codes_work_once(cast):
    enrol_totp(cast.legal1)
    client = sign_in(Client(), cast.legal1)
    response = client.post(reverse("accounts:2fa_backup_codes"))
    codes = response.context["codes"]
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=cast.legal1).count() == 10
    fresh = Client()
    login(fresh, "legal1")
    assert fresh.post(reverse("accounts:2fa_verify"), {"token": codes[0]}).status_code == 302
    again = Client()
    login(again, "legal1")
    assert again.post(reverse("accounts:2fa_verify"), {"token": codes[0]}).status_code == 400


def test_everyone_setting_requires_a_factor_of_caseworkers(cast, settings):
    client = Client()
    login(client, "caseworker1")
    assert client.get(reverse("cases:list")).status_code == 200
    settings.DALIL_2FA_REQUIRED_FOR = ["everyone"]
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:2fa_enrol"))


def test_admin_security_key_requirement_refuses_totp(cast, settings):
    settings.DALIL_ADMIN_REQUIRE_SECURITY_KEY = True
    enrol_totp(cast.admin1)
    client = Client()
    login(client, "admin1")
    response = client.get(reverse("manage:users"))
    # No key yet: verify with the app first (the only way to then register a key), and still not in.
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    device = cast.admin1.totpdevice_set.get()
    assert client.post(reverse("accounts:2fa_verify"), {"token": str(totp(device.bin_key, drift=1)).zfill(6)}).status_code == 302
    assert client.get(reverse("manage:users"))["Location"].startswith(reverse("accounts:2fa_enrol"))
    assert client.get(reverse("accounts:2fa_security_key")).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.sign_in", actor=cast.admin1).exists()


# --- Sessions -----------------------------------------------------------------


def test_session_cookie_flags_and_idle_expiry(cast, settings):
    client = Client()
    login(client, "caseworker1")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.get(reverse("cases:list")).status_code == 200
    # Activity renews the idle clock, at most once per DALIL_SESSION_RENEW_SECONDS: no write on every page.
    session = Session.objects.get()
    stale = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.update(expire_date=stale)
    assert client.get(reverse("cases:list")).status_code == 200
    assert Session.objects.get().expire_date == stale  # renewed less than a minute ago: left alone
    settings.DALIL_SESSION_RENEW_SECONDS = 0
    assert client.get(reverse("cases:list")).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(minutes=29)
    assert session.session_key == Session.objects.get().session_key
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # 30 minutes idle have passed
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)


def test_sign_out_everywhere_ends_every_session_and_calls_revokers(cast):
    revoked = []
    hook = services.register_sign_out_hook(lambda *, user: revoked.append(user.pk))
    try:
        phone, laptop = Client(), Client()
        login(phone, "caseworker1")
        login(laptop, "caseworker1")
        assert phone.get(reverse("cases:list")).status_code == 200
        response = laptop.post(reverse("accounts:sign_out_everywhere"))
        assert response.status_code == 302
        assert phone.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:login"))
        assert laptop.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:login"))
        assert revoked == [cast.caseworker1.pk]
        assert AuditEvent.objects.filter(action="account.signed_out_everywhere", target_id=str(cast.caseworker1.pk)).exists()
        assert login(Client(), "caseworker1").status_code == 302  # the password still works
    finally:
        services._sign_out_hooks.remove(hook)


def test_admin_signs_out_another_user(cast):
    victim = Client()
    login(victim, "caseworker2")
    admin = sign_in(Client(), cast.admin1)
    assert admin.post(reverse("manage:user_sign_out", kwargs={"pk": cast.caseworker2.pk})).status_code == 302
    assert victim.get(reverse("cases:list")).status_code == 302


def test_deactivation_ends_sessions_at_once_and_blocks_sign_in(cast):
    victim = Client()
    login(victim, "caseworker1")
    url = reverse("cases:detail", kwargs={"reference": cast.case.reference})
    assert victim.get(url).status_code == 200
    admin = sign_in(Client(), cast.admin1)
    assert admin.post(reverse("manage:user_deactivate", kwargs={"pk": cast.caseworker1.pk}), {"confirmed": "1"}).status_code == 302
    assert victim.get(url).status_code == 302
    assert login(Client(), "caseworker1").status_code == 400
    assert AuditEvent.objects.filter(action="account.deactivated").count() == 1
    assert not Session.objects.filter(session_key=victim.session.session_key).exists()


def test_revoked_grant_applies_on_the_next_request(cast):
    client = sign_in(Client(), cast.legal1)
    url = reverse("cases:detail", kwargs={"reference": cast.case.reference})
    assert client.get(url).status_code == 200
    access.case_revoke(actor=cast.admin1, case=cast.case, user=cast.legal1)
    assert client.get(url).status_code == 404


def test_role_removal_applies_on_the_next_request(cast):
    client = sign_in(Client(), cast.caseworker1)
    url = reverse("cases:detail", kwargs={"reference": cast.case.reference})
    assert client.get(url).status_code == 200
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker1, roles=[])
    assert client.get(url).status_code == 404


# --- Re-login for sensitive actions --------------------------------------------


def test_changing_access_needs_a_recent_password(cast):
    admin = sign_in(Client(), cast.admin1)
    make_stale(admin)
    url = reverse("manage:case_access_change", kwargs={"reference": cast.case.reference})
    response = admin.post(url, {"action": "assign", "user": cast.caseworker2.pk})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert not CaseUserObjectPermission.objects.filter(user=cast.caseworker2).exists()
    assert admin.post(reverse("accounts:reauthenticate"), {"password": "not-my-password"}).status_code == 400
    assert admin.post(reverse("accounts:reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert admin.post(url, {"action": "assign", "user": cast.caseworker2.pk}).status_code == 302
    assert CaseUserObjectPermission.objects.filter(user=cast.caseworker2, content_object=cast.case).exists()


# --- Admin pages -----------------------------------------------------------------


def test_invite_gives_a_one_time_set_password_link(cast):
    admin = sign_in(Client(), cast.admin1)
    response = admin.post(reverse("manage:user_invite"), {"username": "newlegal", "roles": ["legal"]})
    assert response.status_code == 200
    link = response.context["link"]
    path = link.split("testserver", 1)[1]
    guest = Client()
    form_page = guest.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    bad = guest.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert bad.status_code == 400
    good = guest.post(form_page.redirect_chain[-1][0], {"new_password1": "a long enough passphrase", "new_password2": "a long enough passphrase"})
    assert good.status_code == 302
    assert login(Client(), "newlegal", "a long enough passphrase").status_code == 302
    assert not Client().get(path, follow=True).context["validlink"]  # used once
    assert AuditEvent.objects.filter(action="account.created", data__roles=["legal"]).exists()


def test_invite_with_bad_input_saves_nothing(cast):
    admin = sign_in(Client(), cast.admin1)
    response = admin.post(reverse("manage:user_invite"), {"username": "caseworker1", "roles": ["legal"]})
    assert response.status_code == 400


def test_a_second_submit_of_one_invite_form_makes_one_user(cast):
    from django.contrib.auth import get_user_model

    from tests.cases.test_once import token_of

    admin = sign_in(Client(), cast.admin1)
    token = token_of(admin.get(reverse("manage:user_invite")))
    data = {"username": "newlegal", "roles": ["legal"], "form_token": token}
    assert admin.post(reverse("manage:user_invite"), data).status_code == 200
    again = admin.post(reverse("manage:user_invite"), data)
    made = get_user_model().objects.get(username="newlegal")
    # Not "that username is taken": the page of the user the first submit made.
    assert again.status_code == 302 and again["Location"] == reverse("manage:user_detail", kwargs={"pk": made.pk})
    assert AuditEvent.objects.filter(action="account.created", actor=cast.admin1).count() == 1


def test_assign_many_cases_from_the_admin_page_and_see_who_and_why(cast):
    extra = make_case(actor=cast.caseworker1, name_latin="Another Person")
    admin = sign_in(Client(), cast.admin1)
    response = admin.post(
        reverse("manage:assignments"),
        {"user": cast.caseworker2.pk, "action": "assign", "references": f"{cast.case.reference}, {extra.reference}"},
    )
    assert response.status_code == 302
    assert set(Case.objects.filter(user_grants__user=cast.caseworker2).values_list("reference", flat=True)) == {cast.case.reference, extra.reference}
    page = admin.get(reverse("manage:case_access", kwargs={"reference": cast.case.reference}))
    text = page.content.decode()
    assert "caseworker2" in text and "assigned" in text and "legal1" in text and "shared_with_legal" in text
    assert cast.case.person.name_latin not in text  # admins see who, not what
    bad = admin.post(reverse("manage:assignments"), {"user": cast.caseworker2.pk, "action": "assign", "references": "DAL-1900-0001"})
    assert bad.status_code == 400


def test_non_admins_cannot_manage(cast):
    client = sign_in(Client(), cast.caseworker1)
    assert client.get(reverse("manage:users")).status_code == 403
    assert client.post(reverse("manage:user_deactivate", kwargs={"pk": cast.caseworker2.pk})).status_code == 403


def test_admin_does_not_read_cases_until_self_grant(cast):
    admin = sign_in(Client(), cast.admin1)
    url = reverse("cases:detail", kwargs={"reference": cast.case.reference})
    assert admin.get(url).status_code == 404
    admin.post(reverse("manage:case_access_change", kwargs={"reference": cast.case.reference}), {"action": "self_grant"})
    assert admin.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="access.grant.added", actor=cast.admin1, data__reason="admin_self_grant").exists()


# --- Headers ------------------------------------------------------------------------


def test_strict_content_security_policy(cast):
    client = sign_in(Client(), cast.caseworker1)
    response = client.get(reverse("cases:list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


# --- Query count --------------------------------------------------------------------


def _bulk_cases(actor, n: int, year: int) -> None:
    """n cases visible to actor, made in bulk (the services are exercised elsewhere)."""
    from cases.models import Person

    people = Person.objects.bulk_create([Person(name_latin=f"Person {year} {i}", nationality="UZ") for i in range(n)])
    cases = Case.objects.bulk_create(
        [Case(reference=f"DAL-{year}-{i:05d}", person=p, created_by=actor, updated_by=actor) for i, p in enumerate(people)]
    )
    perm = access.permission_rows(["view_case"])[0]
    CaseUserObjectPermission.objects.bulk_create([CaseUserObjectPermission(user=actor, content_object=c, permission=perm) for c in cases])


def _list_queries(user) -> int:
    client = sign_in(Client(), user)
    client.get(reverse("cases:list"))  # warm: session, content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:list")).status_code == 200
    return len(ctx.captured_queries)


def test_case_list_queries_do_not_grow_with_visible_cases(cast):
    from cases.selectors import cases_for

    few = make_user("few", "caseworker", password=None)
    many = make_user("many", "caseworker", password=None)
    _bulk_cases(few, 10, 1990)
    _bulk_cases(many, 1000, 1991)
    assert cases_for(few).count() == 10 and cases_for(many).count() == 1000
    assert _list_queries(few) == _list_queries(many)


def test_passwords_are_hashed_with_argon2_and_need_12_characters(settings):
    from django.conf import settings as live
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    settings.PASSWORD_HASHERS = [h for h in live.PASSWORD_HASHERS if "MD5" not in h]
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user("hashed", "caseworker")
    assert user.password.startswith("argon2")
    with pytest.raises(ValidationError):
        validate_password("short-pass1")
    validate_password("twelve chars ok")


def test_create_admin_command_prints_a_one_time_link(db, capsys):
    from django.core.management import CommandError, call_command

    call_command("create_admin", "firstadmin")
    out = capsys.readouterr().out
    assert "/accounts/set-password/" in out
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="firstadmin")
    assert not user.has_usable_password() and user.groups.filter(name="admin").exists()
    with pytest.raises(CommandError):
        call_command("create_admin", "firstadmin")
