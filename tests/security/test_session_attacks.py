"""The attacker holds a session (or only a password) and the account behind it changes under them.

accounts.backends.UserBackend replaced Django's ModelBackend: it loads the user, their roles and their
second-factor enrolment in one query, and answers model permissions in one query. Each test here checks
that it kept ModelBackend's promises (an inactive user is nobody; a superuser flag does not outlive
is_active) and Dalil's own (a role removed, or a factor enrolled, counts from the next request; a password
alone reaches nothing behind the second factor). Sessions are made by typing the password, so that the
session names UserBackend, as a real one does.
"""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.backends import UserBackend
from accounts.models import User
from accounts.roles import CASEWORKER
from tests.cast import enrol_totp, role_user
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _no_second_factor_for_caseworkers(settings):
    settings.DALIL_2FA_REQUIRED_FOR = ["legal", "admin"]


def typed_in(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserBackend"
    return client


def case_page(case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def test_a_user_deactivated_behind_the_services_back_is_signed_out_on_the_next_request(cast):
    thief = typed_in("caseworker1")
    assert thief.get(case_page(cast.case)).status_code == 200
    # Not through accounts.services.user_deactivate (which also ends sessions): the flag alone must do.
    User.objects.filter(pk=cast.caseworker1.pk).update(is_active=False)
    response = thief.get(case_page(cast.case))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert UserBackend().get_user(cast.caseworker1.pk) is None


def test_a_removed_role_counts_from_the_next_request(cast, admin1):
    thief = typed_in("caseworker1")
    assert thief.get(case_page(cast.case)).status_code == 200
    services.user_set_roles(actor=admin1, user=cast.caseworker1, roles=[])
    # The case grant is still there; without the role behind it, it counts for nothing.
    assert thief.get(case_page(cast.case)).status_code == 404
    assert thief.get(reverse("cases:create")).status_code in (403, 404)
    services.user_set_roles(actor=admin1, user=cast.caseworker1, roles=[CASEWORKER])
    assert thief.get(case_page(cast.case)).status_code == 200


def test_an_inactive_superuser_holds_no_model_permission(cast):
    boss = role_user(CASEWORKER, username="boss")
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    boss.refresh_from_db()
    backend = UserBackend()
    assert "cases.add_case" in backend.get_all_permissions(boss) and backend.has_perm(boss, "accounts.manage_users")
    User.objects.filter(pk=boss.pk).update(is_active=False)
    boss = User.objects.get(pk=boss.pk)
    assert backend.get_all_permissions(boss) == set() and not backend.has_perm(boss, "cases.add_case")
    assert backend.authenticate(None, username="boss", password=PASSWORD) is None


def test_model_permissions_are_the_users_own_and_their_roles_only(cast):
    # One query for both sources must not widen either: another user's permissions are not this one's.
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="manage_users")
    cast.outsider.user_permissions.add(extra)
    assert "accounts.manage_users" not in UserBackend().get_all_permissions(User.objects.get(pk=cast.caseworker1.pk))
    assert "accounts.manage_users" in UserBackend().get_all_permissions(User.objects.get(pk=cast.outsider.pk))


def test_a_superuser_flag_with_a_password_alone_reaches_nothing_but_the_second_step(cast):
    boss = role_user(CASEWORKER, username="boss")
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    thief = typed_in("boss")
    for path in (case_page(cast.case), reverse("manage:users"), reverse("cases:list")):
        response = thief.get(path)
        assert response.status_code == 302 and "/2fa/" in response["Location"], path


def test_a_factor_enrolled_while_a_password_only_session_is_open_is_asked_at_once(cast):
    # The user had no factor and none is required of a caseworker: the password session is full...
    thief = typed_in("caseworker1")
    assert thief.get(case_page(cast.case)).status_code == 200
    # ...until the owner enrols one: from the next request the thief's session owes the second step.
    enrol_totp(User.objects.get(pk=cast.caseworker1.pk))
    response = thief.get(case_page(cast.case))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:2fa_verify"))


# --- Drafts kept across an expired session (cases/drafts.py) ---------------------------------------------


def sealed_draft_of(path: str, typed: dict) -> str:
    """What anyone gets by posting a form while signed out: the sign-in page holding it, sealed."""
    response = Client().post(path, typed)
    assert response.status_code == 401
    return response.content.decode().split('name="draft" value="')[1].split('"')[0]


def test_a_forged_sign_in_post_plants_no_draft_in_a_signed_in_victims_session(cast):
    """A cross-site POST to the sign-in page (no CSRF token) must not leave the attacker's words waiting in the
    victim's session, to come back on the case's edit page as "what you typed: check it and save"."""
    edit = reverse("cases:event_add", kwargs={"reference": cast.case.reference})
    planted = sealed_draft_of(edit, {"type": "detention", "description": "He withdrew his account of the beating."})
    victim = Client(enforce_csrf_checks=True)
    response = victim.post(LOGIN, {"username": "caseworker1", "password": PASSWORD})  # no token: refused
    assert response.status_code == 403
    victim.force_login(cast.caseworker1, backend="accounts.backends.UserBackend")
    response = victim.post(LOGIN, {"draft": planted, "next": edit})  # what the attacker's page sends
    assert response.status_code == 403
    page = victim.get(edit).content.decode()
    assert "withdrew his account" not in page and "nothing was saved" not in page


def test_a_draft_comes_back_only_to_its_own_address(cast):
    # Kept for the event form of the case; shown on no other form and no other case.
    edit = reverse("cases:event_add", kwargs={"reference": cast.case.reference})
    draft = sealed_draft_of(edit, {"type": "detention", "description": "Taken at night from the dormitory."})
    other = reverse("cases:event_add", kwargs={"reference": cast.other_case.reference})
    browser = Client()
    browser.post(LOGIN, {"username": "outsider", "password": PASSWORD, "next": edit, "draft": draft})
    assert "dormitory" not in browser.get(other).content.decode()
    assert browser.get(edit).status_code == 404  # not the outsider's case: the same 404, draft or not
    assert "dormitory" not in str(dict(browser.session))


# --- One-submit tokens (cases/once.py) ---------------------------------------------------------------------


def form_token(response) -> str:
    import re

    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_form_token_spent_on_one_form_neither_swallows_nor_redirects_another(cast):
    """The token of one rendered form, posted with another form, is not "already sent": the other form is made,
    and nothing of the first form's record comes back (no message, no redirect to it)."""
    from cases.models import Contact, Source

    client = typed_in("caseworker1")
    source_url = reverse("cases:source_add", kwargs={"reference": cast.case.reference})
    token = form_token(client.get(source_url))
    made = client.post(source_url, {"title": "Sister's call, 3 May", "kind": "family", "reliability": "unverified", "form_token": token})
    assert made.status_code == 302 and Source.objects.filter(case=cast.case).count() == 1
    contact_url = reverse("cases:contact_add", kwargs={"reference": cast.case.reference})
    contacts = Contact.objects.filter(case=cast.case).count()
    response = client.post(contact_url, {"name": "Timur", "relationship": "brother", "form_token": token}, follow=True)
    assert response.status_code == 200 and "already been sent" not in response.content.decode()
    assert Contact.objects.filter(case=cast.case).count() == contacts + 1
    # And on another case: the first case's record is not where it leads.
    other_url = reverse("cases:contact_add", kwargs={"reference": cast.other_case.reference})
    outsider = typed_in("outsider")
    outsider_token = form_token(outsider.get(other_url))
    outsider.post(other_url, {"name": "Aziz", "relationship": "brother", "form_token": outsider_token})
    response = client.post(other_url, {"name": "Aziz", "relationship": "brother", "form_token": outsider_token})
    assert response.status_code == 404  # another's token changes nothing about whose case it is


# --- The case API's closure reason -------------------------------------------------------------------------------


def test_the_case_api_keeps_closure_reasons_to_closed_cases(cast):
    from cases.models import Case
    from tests.api.conftest import client_for

    client = client_for(cast.caseworker1)
    url = f"/api/v1/cases/{cast.case.reference}/"
    etag = client.get(url)["ETag"]
    # An open case given a reason for closing, with no status in the PATCH: refused, nothing changed.
    assert client.patch(url, {"closure_reason": "died"}, format="json", HTTP_IF_MATCH=etag).status_code == 400
    assert Case.objects.get(pk=cast.case.pk).closure_reason == ""
    closed = client.patch(url, {"status": "closed", "closure_reason": "found"}, format="json", HTTP_IF_MATCH=etag)
    assert closed.status_code == 200, closed.content
    # A closed case's reason emptied, with no status in the PATCH: refused too.
    assert client.patch(url, {"closure_reason": ""}, format="json", HTTP_IF_MATCH=closed["ETag"]).status_code == 400
    assert Case.objects.get(pk=cast.case.pk).closure_reason == "found"
    # Another user's case: the same 404 as a missing one, whatever the body says.
    other = f"/api/v1/cases/{cast.other_case.reference}/"
    assert client.patch(other, {"status": "closed", "closure_reason": "died"}, format="json", HTTP_IF_MATCH="*").status_code == 404
    assert Case.objects.get(pk=cast.other_case.pk).status != "closed"


def test_an_oversized_form_from_another_site_is_refused_by_its_csrf_check(cast, settings):
    """An oversized form is kept and shown (not saved); one without the page's CSRF token is not even shown:
    otherwise a page elsewhere could fill a signed-in user's form with its own words, "shorten and save"."""
    from urllib.parse import urlencode

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    url = reverse("cases:event_add", kwargs={"reference": cast.case.reference})
    victim = Client(enforce_csrf_checks=True)
    victim.force_login(cast.caseworker1, backend="accounts.backends.UserBackend")
    planted = {"type": "detention", "description": "He withdrew his account of the beating. " * 600}
    form = "application/x-www-form-urlencoded"
    response = victim.post(url, urlencode(planted), content_type=form)
    assert response.status_code == 403 and b"withdrew his account" not in response.content
    page = victim.get(url).content.decode()  # the real page: it sets the CSRF cookie, its form carries the token
    csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = victim.post(url, urlencode({**planted, "csrfmiddlewaretoken": csrf}), content_type=form)
    assert response.status_code == 413 and "withdrew his account" in response.content.decode()


def test_a_draft_waits_for_the_second_step_and_comes_back_after_it(cast):
    """A legal user's session ends while typing: the draft is not spent on the page that sends them to the second
    step (nor shown there), and comes back once the session is verified."""
    from django_otp.oath import totp

    device = enrol_totp(User.objects.get(pk=cast.legal1.pk))
    url = reverse("referrals:assessment", kwargs={"reference": cast.case.reference})
    draft = sealed_draft_of(url, {"conclusion": "Recruited under threat of prosecution in Rostov.", "version": "0"})
    browser = Client()
    response = browser.post(LOGIN, {"username": "legal1", "password": PASSWORD, "next": url, "draft": draft})
    assert response.status_code == 302
    first = browser.get(url)  # half signed in: sent to the second step, the draft neither shown nor spent
    assert first.status_code == 302 and first["Location"].startswith(reverse("accounts:2fa_verify"))
    verified = browser.post(first["Location"], {"token": str(totp(device.bin_key, drift=1)).zfill(6), "next": url})  # the enrolment spent this step's code
    assert verified.status_code == 302
    page = browser.get(url).content.decode()
    assert "Recruited under threat of prosecution in Rostov." in page and "nothing was saved" in page


def test_sending_the_token_form_again_never_shows_a_token_secret_again(cast):
    from api.models import ApiToken

    client = typed_in("caseworker1")
    url = reverse("api_tokens:list")
    token = form_token(client.get(url))
    data = {"scope": "read", "days": "7", "name": "laptop", "form_token": token}
    first = client.post(url, data)
    assert first.status_code == 200 and ApiToken.objects.filter(user=cast.caseworker1).count() == 1
    issued = ApiToken.objects.get(user=cast.caseworker1)
    import re

    from api.services import hash_token

    shown = [w for w in re.findall(r"[\w.-]{20,}", first.content.decode()) if hash_token(w) == issued.key_hash]
    assert shown, "the new token's secret is shown once"
    secret_start = shown[0][len(issued.prefix):][:12]  # a piece of the secret past its public prefix
    for again in (data, {**data, "form_token": form_token(client.get(url))}):  # the same page, or the back button
        response = client.post(url, again, follow=True)
        assert ApiToken.objects.filter(user=cast.caseworker1).count() == 1
        assert secret_start not in response.content.decode()


def test_a_superuser_break_glass_read_is_never_quiet(cast, settings):
    """docs/access.md: a superuser (createsuperuser; no web page sets the flag) is an unrestricted break-glass
    account and reads cases without a grant. It must not read quietly: behind the second step, and every case
    it opens, on a page or through the API, is on the audit trail under its name."""
    from audit.models import AuditEvent
    from tests.api.conftest import client_for
    from tests.cast import sign_in

    settings.DALIL_ADMIN_REQUIRE_SECURITY_KEY = False
    boss = role_user(CASEWORKER, username="boss")
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    boss = User.objects.get(pk=boss.pk)
    client = sign_in(Client(), boss)
    assert client.get(case_page(cast.other_case)).status_code == 200
    assert client_for(boss, scope="read").get(f"/api/v1/cases/{cast.case.reference}/").status_code == 200
    read = set(AuditEvent.objects.filter(actor=boss, action="case.viewed").values_list("case_ref", flat=True))
    assert read == {cast.case.reference, cast.other_case.reference}


def test_no_draft_form_saves_a_replayed_draft(cast):
    """A kept draft comes back as a GET turned into a POST without its CSRF check; every case form named in
    cases.drafts.DRAFT_VIEWS must show it and save nothing (the referral forms: tests/ui/test_drafts.py)."""
    import datetime

    from audit.models import AuditEvent
    from cases import services as case_services
    from cases.drafts import DRAFT_VIEWS, SESSION_KEY, seal
    from django.http import QueryDict

    case, actor = cast.case, cast.caseworker1
    contact = case_services.contact_add(actor=actor, case=case, data={"name": "Dilnoza", "relationship": "sister"})
    source = case_services.source_add(actor=actor, case=case, data={"kind": "family", "title": "Sister's call"})
    event = case_services.event_add(actor=actor, case=case, data={"type": "detention", "date": datetime.date(2024, 3, 1), "description": "Taken."})
    ref = {"reference": case.reference}
    forms = {
        "cases:create": ({}, {"name_latin": "Planted Person", "nationality": "UZ", "status": "open"}),
        "cases:edit": (ref, {"name_latin": "Planted Person", "status": "closed", "closure_reason": "died", "version": str(case.version)}),
        "cases:contact_add": (ref, {"name": "Planted Person", "relationship": "brother"}),
        "cases:contact_edit": ({**ref, "contact_id": contact.pk}, {"name": "Planted Person", "relationship": "brother", "version": str(contact.version)}),
        "cases:event_add": (ref, {"type": "detention", "date": "01.03.2024", "description": "Planted words."}),
        "cases:event_edit": ({**ref, "event_id": event.pk}, {"type": "detention", "date": "01.03.2024", "description": "Planted words.", "version": str(event.version)}),
        "cases:source_add": (ref, {"kind": "family", "title": "Planted words", "reliability": "unverified"}),
        "cases:source_edit": ({**ref, "source_id": source.pk}, {"kind": "family", "title": "Planted words", "reliability": "unverified", "version": str(source.version)}),
        "cases:consent_add": (ref, {"given_by": "person", "share_legal": "on", "given_on": "01.03.2024", "notes": "Planted words."}),
    }
    assert {name for name in DRAFT_VIEWS if name.startswith("cases:")} == set(forms)
    client = typed_in("caseworker1")
    for name, (kwargs, typed) in forms.items():
        url = reverse(name, kwargs=kwargs)
        data = QueryDict(mutable=True)
        for key, value in typed.items():
            data[key] = value
        session = client.session
        session[SESSION_KEY] = {"path": url, "token": seal(data)}
        session.save()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        response = client.get(url)
        assert response.status_code == 200 and "nothing was saved" in response.content.decode(), name
        written = set(AuditEvent.objects.filter(seq__gt=last).values_list("action", flat=True))
        assert written <= {"case.viewed"}, (name, written)
