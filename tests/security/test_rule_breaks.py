"""Rules that an earlier break-once exercise could break without a test noticing (issue 15, "Tests that fail
when a rule breaks"). Each test here uses real objects, real grants and real files, and fails when its rule
is broken on purpose (the commit message of each rule's change lists the break it was run against).
"""

import pytest
from django.urls import reverse

from accounts.roles import LEGAL
from cases import access, selectors
from cases.models import Case
from evidence import selectors as evidence_selectors
from evidence import services as evidence_services
from evidence.models import EvidenceFile
from evidence.sealing import plaintext_chunks
from tests.cast import make_user
from tests.security.fixtures_hardening import attach_image, evidence_url, keyring  # noqa: F401

pytestmark = pytest.mark.usefixtures("keyring")


# --- view_case without download_evidence: an admin after an audited self-grant -----------------------


def test_an_admin_who_self_granted_view_may_not_download_or_preview_a_real_file(client, cast, sign_in, django_capture_on_commit_callbacks):
    f = attach_image(cast.case, cast.caseworker1, django_capture_on_commit_callbacks)
    access.case_grant_self(actor=cast.admin1, case=cast.case)
    assert access.case_perms_for(cast.admin1, cast.case) == {"view_case"}
    sign_in(client, cast.admin1)
    page = client.get(evidence_url("detail", cast.case, f))
    assert page.status_code == 200  # the file's record is theirs to see
    body = page.content.decode()
    assert evidence_url("download", cast.case, f) not in body
    assert client.get(evidence_url("download", cast.case, f)).status_code == 404
    assert client.get(evidence_url("download", cast.case, f) + "?inline=1").status_code == 404
    assert client.get(evidence_url("working_copy", cast.case, f, copy_id=f.preview.pk)).status_code == 404
    assert not f.custody_events.filter(actor=cast.admin1, action__in=("downloaded", "viewed")).exists()


# --- no change_case: legal may not destroy a real file ------------------------------------------------


def test_legal_may_not_destroy_a_real_file_and_it_survives(client, cast, sign_in):
    content = b"the only copy of a testimony"
    f = evidence_services.evidence_attach(actor=cast.caseworker1, case=cast.case, content=content, original_name="t.txt", source_label="x")
    assert "change_case" not in access.case_perms_for(cast.legal1, cast.case)
    sign_in(client, cast.legal1)
    response = client.post(evidence_url("destroy", cast.case, f), {"reason": "Consent withdrawn", "confirm": "on"})
    assert response.status_code == 404
    f.refresh_from_db()
    assert f.state != EvidenceFile.State.DESTROYED and not f.custody_events.filter(action="destroyed").exists()
    assert b"".join(plaintext_chunks(f)) == content  # the blob is there and still opens
    # The same request from the team does destroy it: the refusal above is the rule, not a broken form.
    sign_in(client, cast.caseworker1)
    assert client.post(evidence_url("destroy", cast.case, f), {"reason": "Consent withdrawn", "confirm": "on"}).status_code == 302


# --- a group grant opens nothing of a sensitive case ---------------------------------------------------


@pytest.fixture
def sensitive(cast):
    """caseworker1's case shared with all legal staff (a group grant), then marked sensitive; legal2 holds no
    direct grant. The group grant stays in the table: only the rule keeps it closed."""
    from accounts.models import CaseGroupObjectPermission

    legal2 = make_user("legal2", LEGAL, password=None)
    case = cast.case
    access.case_share_with_legal(actor=cast.caseworker1, case=case)
    assert "view_case" in access.case_perms_for(legal2, case)  # open while not sensitive: the fixture is real
    evidence_services.evidence_attach(actor=cast.caseworker1, case=case, content=b"scan", original_name="s.pdf", source_label="x")
    access.case_set_sensitive(actor=cast.caseworker1, case=case, sensitive=True)
    assert CaseGroupObjectPermission.objects.filter(content_object=case).exists()
    return legal2, Case.objects.get(pk=case.pk)


def test_a_group_grant_opens_no_per_case_check_of_a_sensitive_case(sensitive):
    legal2, case = sensitive
    assert selectors.case_perms(legal2, case, fresh=True) == frozenset()
    for perm in ("view_case", "download_evidence", "prepare_referral"):
        assert not selectors.user_has_case_perm(legal2, Case.objects.get(pk=case.pk), perm)
        assert not access.has_case_perm(legal2, case, perm)
    # Everything that reads a case the caller already holds (a file's case, a referral's case) asks case_perms.
    fresh = Case.objects.get(pk=case.pk)
    assert not selectors.contacts_for(legal2, case=fresh).exists()
    assert not selectors.events_for(legal2, case=fresh).exists()
    assert not selectors.sources_for(legal2, case=fresh).exists()
    assert not evidence_selectors.files_for(legal2, case=fresh).exists()
    assert not evidence_selectors.files_for(legal2, case=fresh, perm="download_evidence").exists()
    assert not selectors.cases_for(legal2).filter(pk=case.pk).exists()


def test_a_group_grant_opens_no_page_of_a_sensitive_case(client, cast, sign_in, sensitive):
    legal2, case = sensitive
    f = EvidenceFile.objects.get(case=case)
    contact = case.contacts.first()
    sign_in(client, legal2)
    urls = [
        reverse("cases:detail", kwargs={"reference": case.reference}),
        reverse("cases:contact_edit", kwargs={"reference": case.reference, "contact_id": contact.pk}),
        reverse("evidence:list", kwargs={"reference": case.reference}),
        evidence_url("detail", case, f), evidence_url("download", case, f),
        reverse("cases:history", kwargs={"reference": case.reference}),
        reverse("referrals:list", kwargs={"reference": case.reference}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert case.reference not in client.get(reverse("cases:list")).content.decode()
