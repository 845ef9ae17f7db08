"""The access matrix: every URL pattern of the project, for every kind of visitor.

The URL list comes from the resolver, so a new view cannot escape: a URL name missing from
MATRIX fails the test with the line to add. Each visitor uses a fresh client:

  anonymous   never signed in: sent to the login page (API: 401/403)
  caseworker  caseworker1, assigned to the case
  legal       legal1, the case is shared with them (read, evidence, referral; no edits)
  admin       admin1: manages users and access, reads no case without a self-grant
  outsider    a caseworker of another case: 404 on anything of this case, and no response
              of theirs may contain the case's person name, reporter name or reference.

To add a view: add `"namespace:name": <helper>(...)` below. Helpers take `kwargs`, a
function of the fixture namespace `m` (m.case, m.event, m.source, m.contact, m.spare,
m.file...) returning the URL kwargs, and the expected status per visitor. ANY skips a
visitor (use it only for a visitor whose result depends on data this test cannot build).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import ADMIN, CASEWORKER, LEGAL, roles_of
from tests.cast import make_user, sign_in
from tests.factories import PASSWORD  # noqa: F401  (documented for helpers that need it)

LOGIN = "login"
ANY = "any"
API_DENIED = {401, 403}
# The role of each signed-in visitor: every role declared in accounts/roles.py has one
# (tests/accounts/test_roles.py fails when a new role has no column here).
VISITOR_ROLES = {"caseworker": CASEWORKER, "legal": LEGAL, "admin": ADMIN, "outsider": CASEWORKER}
VISITORS = ("anonymous", *VISITOR_ROLES)


def entry(kwargs=None, method="get", **expect):
    missing = set(VISITORS) - set(expect)
    assert not missing, f"an entry must say what each visitor gets; missing {missing}"
    return {"kwargs": kwargs or (lambda m: {}), "method": method, "expect": expect}


def public(kwargs=None, status=200, method="get"):
    """Reachable without signing in (sign-in page, health probes)."""
    return entry(kwargs, method, **{v: status for v in VISITORS})


def signed_in(kwargs=None, status=200, method="get", **override):
    """Any signed-in user; nothing of a case in it."""
    return entry(kwargs, method, **{"anonymous": LOGIN, **{v: status for v in VISITORS[1:]}, **override})


def admin_only(kwargs=None, method="get", status=200, **override):
    return entry(kwargs, method, **{"anonymous": LOGIN, "caseworker": 403, "legal": 403, "outsider": 403, "admin": status, **override})


def case_page(kwargs=None, method="get", caseworker=200, legal=200, admin=404):
    """Reads the case: its team sees it, everyone else gets 404."""
    return entry(kwargs or REF, method, anonymous=LOGIN, caseworker=caseworker, legal=legal, admin=admin, outsider=404)


def case_edit(kwargs=None, method="get", caseworker=200, legal=404, admin=404):
    """Changes the case: change_case only (legal reads but does not edit)."""
    return case_page(kwargs, method, caseworker=caseworker, legal=legal, admin=admin)


def api(kwargs=None, method="get"):
    """Token-only API: a browser session (even a valid one) is refused, so nothing leaks."""
    return entry(kwargs, method, **{v: API_DENIED for v in VISITORS})


def real_object(kwargs, method="get"):
    """A real object of the case (not this visitor's unless on the team): the team gets an answer, others 404."""
    team = {200, 302, 400, 404, 409}  # the state of a draft decides which; the others' 404 is what counts
    return entry(kwargs, method, anonymous=LOGIN, caseworker=team, legal=team, admin=404, outsider=404)


def own_job():
    """caseworker1's own estimate: nobody else's, whatever their role."""
    return entry(lambda m: {"job_id": m.job.pk}, anonymous=LOGIN, caseworker=200, legal=404, admin=404, outsider=404)


def REF(m):
    return {"reference": m.case.reference}


def ref_and(**extra):
    return lambda m: {"reference": m.case.reference, **{k: v(m) for k, v in extra.items()}}


MATRIX = {
    # --- ops
    "healthz": public(),
    "readyz": public(status={200, 503}),
    # --- accounts (sign-in, account page, second factors)
    "accounts:login": public(),
    "accounts:logout": public(method="post", status=302),
    "accounts:account": signed_in(),
    "accounts:password_change": signed_in(),
    "accounts:set_password": public(kwargs=lambda m: {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:sign_out_everywhere": signed_in(method="post", status=302),
    "accounts:reauthenticate": signed_in(),
    "accounts:2fa_enrol": signed_in(),
    "accounts:2fa_verify": signed_in(status={200, 302}),  # a verified session is sent on
    # Changing factors: caseworkers here have none yet, so they need an admin's enrolment link first (302 to /2fa/).
    "accounts:2fa_enrol_link": signed_in(kwargs=lambda m: {"token": "made-up"}, status=302),
    "accounts:2fa_totp": signed_in(caseworker=302, outsider=302),
    "accounts:2fa_backup_codes": signed_in(caseworker=302, outsider=302),
    "accounts:2fa_security_key": signed_in(caseworker=302, outsider=302),
    # Another user's real authenticator: nobody removes it but its owner.
    "accounts:2fa_remove": signed_in(kwargs=lambda m: {"kind": "totp", "pk": m.others_device.pk}, method="post", status=404, caseworker=302, outsider=302),
    # django-otp-webauthn's JSON endpoints: they answer JSON errors, never a case.
    "otp_webauthn:credential-registration-begin": entry(
        method="post", anonymous={401, 403}, caseworker=403, legal={200, 403}, admin={200, 403}, outsider=403
    ),
    "otp_webauthn:credential-registration-complete": entry(
        method="post", anonymous={401, 403}, caseworker=403, legal={400, 403, 422}, admin={400, 403, 422}, outsider=403
    ),
    "otp_webauthn:credential-authentication-begin": entry(
        method="post", anonymous={400, 401, 403}, caseworker=200, legal=200, admin=200, outsider=200
    ),
    "otp_webauthn:credential-authentication-complete": entry(
        method="post", anonymous={400, 401, 403}, caseworker={400, 422}, legal={400, 422}, admin={400, 422}, outsider={400, 422}
    ),
    "otp_webauthn:js-i18n-catalog": public(),
    # --- admin pages
    "manage:users": admin_only(),
    "manage:user_invite": admin_only(),
    "manage:user_detail": admin_only(kwargs=lambda m: {"pk": m.spare.pk}),
    "manage:user_enrolment_link": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post"),
    "manage:user_factors_reset": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post", status=302),
    "manage:user_roles": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post", status=302),
    "manage:user_deactivate": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post", status=200),  # the confirmation step
    "manage:user_reactivate": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post", status=302),
    "manage:user_sign_out": admin_only(kwargs=lambda m: {"pk": m.spare.pk}, method="post", status=302),
    # A real request of a second admin to change their own roles; admin1 (not its maker) may decide it.
    "manage:role_change_decide": admin_only(kwargs=lambda m: {"pk": m.role_request.user_id, "request_id": m.role_request.pk}, method="post", status=302),
    "manage:assignments": admin_only(),
    # Admins see a case's reference and who holds it here, never its content; others get 403.
    "manage:case_access": admin_only(kwargs=REF),
    "manage:case_access_change": admin_only(kwargs=REF, method="post", status=400),
    "manage:case_share": case_edit(),
    # --- cases
    "cases:list": signed_in(),
    # Only caseworkers hold cases.add_case.
    "cases:create": signed_in(legal=403, admin=403),
    "cases:detail": case_page(),
    "cases:edit": case_edit(),
    "cases:contact_add": case_edit(),
    "cases:contact_edit": case_edit(ref_and(contact_id=lambda m: m.contact.pk)),
    "cases:event_add": case_edit(),
    "cases:event_edit": case_edit(ref_and(event_id=lambda m: m.event.pk)),
    "cases:source_add": case_edit(),
    "cases:source_edit": case_edit(ref_and(source_id=lambda m: m.source.pk)),
    "cases:consent_add": case_edit(),
    "cases:history": case_page(),  # the case's access history follows the case's scope
    "cases:object_history": case_page(ref_and(target_type=lambda m: "cases.case", target_id=lambda m: str(m.case.pk))),
    # --- evidence (ev): files hang off a case the visitor must be able to see
    "evidence:list": case_page(),
    "evidence:upload": case_edit(),
    # A real file of caseworker1's case, with its real preview (working copy): never a made-up id.
    "evidence:detail": case_page(ref_and(file_id=lambda m: m.file.pk)),
    "evidence:download": case_page(ref_and(file_id=lambda m: m.file.pk)),
    "evidence:working_copy": case_page(ref_and(file_id=lambda m: m.file.pk, copy_id=lambda m: m.file.preview.pk)),
    "evidence:progress": case_page(ref_and(file_id=lambda m: m.file.pk)),
    "evidence:custody_export": case_page(ref_and(file_id=lambda m: m.file.pk, fmt=lambda m: "json")),
    # No reason given: the team's form error (400) leaves the file whole; legal may not destroy at all.
    "evidence:destroy": case_edit(ref_and(file_id=lambda m: m.file.pk), method="post", caseworker=400),
    # --- referrals (ref)
    "referrals:assessment": case_page(),
    "referrals:assessment_item": case_page(ref_and(code=lambda m: "no-such-item"), caseworker=404, legal=404),
    # A real supporting link of the outsider's case, under this case's address: 404 for everyone.
    "referrals:assessment_link_remove": case_page(ref_and(link_id=lambda m: m.others_link.pk), method="post", caseworker=404, legal=404),
    "referrals:review_request": case_edit(),
    "referrals:list": case_page(),
    "referrals:create": case_page(),
    # A real draft referral legal1 made on the case: its team gets an answer, everyone else 404.
    "referrals:detail": real_object(lambda m: {"referral_id": m.referral.pk}),
    "referrals:build": real_object(lambda m: {"referral_id": m.referral.pk}, method="post"),
    "referrals:progress": real_object(lambda m: {"referral_id": m.referral.pk}),
    "referrals:progress_json": real_object(lambda m: {"referral_id": m.referral.pk}),
    "referrals:passphrase": real_object(lambda m: {"referral_id": m.referral.pk}, method="post"),
    "referrals:download": real_object(lambda m: {"referral_id": m.referral.pk}),
    "referrals:transition": real_object(lambda m: {"referral_id": m.referral.pk, "to": "sent"}, method="post"),
    # --- patterns (pat): aggregates, published lists, duplicates
    "patterns:dashboard": signed_in(),
    "patterns:stats_csv": signed_in(status={200, 400}),  # 400 without its filter parameters
    "patterns:research_export": signed_in(),
    "patterns:list_index": signed_in(),
    # A real list caseworker1 imported, matched to the case's person. Lists are shared by all staff; the
    # candidate (and the case in it) only with the case's team: the outsider's pages must not name it.
    "patterns:list_detail": signed_in(lambda m: {"list_id": m.source_list.pk}),
    "patterns:upload_detail": signed_in(lambda m: {"list_id": m.source_list.pk, "upload_id": m.upload.pk}),
    "patterns:upload_progress": signed_in(lambda m: {"list_id": m.source_list.pk, "upload_id": m.upload.pk}),
    "patterns:list_match": signed_in(lambda m: {"list_id": m.source_list.pk}, method="post", status=302),
    "patterns:candidate_decide": case_edit(
        lambda m: {"list_id": m.source_list.pk, "candidate_id": m.candidate.pk, "decision": "reject"}, method="post", caseworker=302
    ),
    # A real estimate caseworker1 ran (their list and their cases): an estimate is its maker's alone.
    "patterns:estimate_index": signed_in(),
    "patterns:estimate_detail": own_job(),
    "patterns:estimate_csv": own_job(),
    "patterns:estimate_pdf": own_job(),
    "patterns:duplicates": signed_in(),
    "patterns:duplicate_action": signed_in(method="post", status={400, 404}),
    # --- API (api): token-only JSON; the schema and its docs are public
    "api:schema": public(),
    "api:docs": public(),
    "api:case-list": api(),
    "api:case-detail": api(REF),
    "api:case-search": api(method="post"),
    "api:person-search": api(method="post"),
    "api:event-list": api(REF),
    "api:event-detail": api(ref_and(event_id=lambda m: m.event.pk)),
    "api:source-list": api(REF),
    "api:source-detail": api(ref_and(source_id=lambda m: m.source.pk)),
    "api:contact-list": api(REF),
    "api:contact-detail": api(ref_and(contact_id=lambda m: m.contact.pk)),
    "api:person-list": api(),
    "api:person-detail": api(lambda m: {"person_id": m.case.person.pk}),
    "api:file-list": api(REF),
    "api:file-detail": api(ref_and(file_id=lambda m: m.file.pk)),
    "api:file-custody": api(ref_and(file_id=lambda m: m.file.pk)),
    "api:audit-consistency": api(),
    # --- audit (audit): the log is for admins; a case's history follows the case's scope
    "audit:log": admin_only(caseworker=404, legal=404, outsider=404),
    "audit:export": admin_only(kwargs=lambda m: {"fmt": "csv"}, caseworker=404, legal=404, outsider=404),
    "audit:sign_ins": signed_in(),  # each user's own sign-ins
    # --- intake: the public report form, and the triage side. The report is real and was triaged into
    # caseworker1's case: its team reads it; the outsider (who may triage untriaged reports) gets 404.
    "report:choose": public(),
    "report:form": public(lambda m: {"lang": "en"}),
    "report:follow_up": public(lambda m: {"lang": "en"}),
    "intake:queue": signed_in(legal=404, admin=404),  # triage staff (caseworkers) only
    "intake:retention": admin_only(method="post", status=302, caseworker=404, legal=404, outsider=404),
    "intake:for_case": case_page(),
    "intake:detail": real_object(lambda m: {"submission_id": m.submission.pk}),
    "intake:decide": real_object(lambda m: {"submission_id": m.submission.pk}, method="post"),
    # A reply sent without a session is a kept draft: the sign-in page (401) holding it sealed (cases/drafts.py).
    "intake:reply": {**real_object(lambda m: {"submission_id": m.submission.pk}, method="post"),
                     "expect": {**real_object(None)["expect"], "anonymous": 401}},
    "intake:attachment": real_object(lambda m: {"submission_id": m.submission.pk, "attachment_id": m.attachment.pk}),
    # --- casework: each user's own work; a case's follow-ups follow the case's scope (a real one of caseworker1's case)
    "casework:my_work": signed_in(),
    "casework:case_follow_ups": case_page(),
    "casework:done": case_edit(ref_and(pk=lambda m: m.follow_up.pk), method="post", caseworker=302),
    "casework:take_over": case_edit(ref_and(pk=lambda m: m.follow_up_to_take.pk), method="post", caseworker=302),
    # Access managers reassign a flagged follow-up of a case they need not see (no one chosen: 400); no one else may.
    "casework:manage_follow_ups": admin_only(kwargs=REF),
    "casework:manage_follow_up_reassign": admin_only(kwargs=ref_and(pk=lambda m: m.flagged_follow_up.pk), method="post", status=400),
    # A real tag an admin defined, on caseworker1's case: the case's tags follow the case's scope; tags are defined by admins.
    "casework:case_tags": case_page(),
    "casework:case_tag_remove": case_edit(ref_and(pk=lambda m: m.tag.pk), method="post", caseworker=302),
    "casework:tag_list": admin_only(),
    "casework:tag_create": admin_only(),
    "casework:tag_edit": admin_only(kwargs=lambda m: {"pk": m.tag.pk}),
    "casework:tag_retire": admin_only(kwargs=lambda m: {"pk": m.tag.pk}, method="post", status=302),
    # Saving needs a name (400 without); a real private search of caseworker1 is theirs alone, whatever the role.
    "casework:search_save": signed_in(method="post", status=400),
    "casework:search_open": entry(lambda m: {"pk": m.search.pk}, anonymous=LOGIN, caseworker=302, legal=404, admin=404, outsider=404),
    "casework:search_delete": entry(lambda m: {"pk": m.search.pk}, "post", anonymous=LOGIN, caseworker=302, legal=404, admin=404, outsider=404),
    "casework:case_notes": case_page(),
    "casework:case_reviews": case_page(),
    # caseworker1 asked legal1: only the reviewer may answer (an empty answer is a 400), the asker too gets 404.
    "casework:review_answer": entry(ref_and(pk=lambda m: m.review.pk), "post", anonymous=LOGIN, caseworker=404, legal=400, admin=404, outsider=404),
    "casework:notifications": signed_in(),
    "casework:notifications_read": signed_in(method="post", status=302),
    "casework:notification_settings": signed_in(),
    # --- retention: the review and destruction are admins'; holds are admins' and legal staff's (on the cases they see)
    "retention:review": admin_only(),
    "retention:policies": admin_only(method="post", status=302),
    "retention:prepare": admin_only(method="post", status=302),
    "retention:destroy": admin_only(method="post", status=302),
    "retention:case": entry(REF, anonymous=LOGIN, caseworker=403, legal=200, admin=200, outsider=403),
    # --- i18n: the language switch (POST, public)
    "set_language": public(method="post", status=302),
    "api_tokens:list": signed_in(),  # each user's own tokens (an admin sees all, to revoke)
    # A real token of caseworker2 (no visitor): only an admin may revoke another's token; the rest get 404.
    "api_tokens:revoke": entry(lambda m: {"token_id": m.token.pk}, "post", anonymous=LOGIN, caseworker=404, legal=404, admin=200, outsider=404),  # the admin gets the confirmation step
}


# Visiting these ends the visitor's session: the next URL gets a freshly signed-in client.
SESSION_ENDERS = {"accounts:logout", "accounts:sign_out_everywhere"}


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield (ns + p.name) if p.name else f"<unnamed {ns}{p.pattern}>", p


def all_url_names() -> dict:
    return dict(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry():
    names = all_url_names()
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, (
        "These URL patterns are not in the access matrix (tests/test_access_matrix.py MATRIX); add one line each, "
        "e.g. case_page() / case_edit() / signed_in() / admin_only() / public() / api():\n"
        + "\n".join(f'    "{n}": ...,  # {names[n].pattern}' for n in missing)
    )
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def test_no_url_name_has_two_entries():
    """A dict literal keeps the last of two entries for one name, so the first would silently never run."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    matrix = next(node.value for node in tree.body if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MATRIX")
    names = [key.value for key in matrix.keys if isinstance(key, ast.Constant)]
    assert len(names) == len(set(names)), sorted({name for name in names if names.count(name) > 1})


def _real_objects(cast, capture) -> dict:
    """A real evidence file with its preview, a real referral and a real imported list with a candidate."""
    import io

    from PIL import Image

    from api.services import token_issue
    from evidence.services import evidence_attach
    from patterns import list_imports
    from patterns.models import MatchCandidate
    from referrals.services import referral_create

    image = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(image, format="JPEG")
    with capture(execute=True):
        file = evidence_attach(actor=cast.caseworker1, case=cast.case, content=image.getvalue(), original_name="x.jpg", source_label="sister")
    file.refresh_from_db()
    referral = referral_create(
        actor=cast.legal1, case=cast.case, data={"recipient_name": "Justice Partners", "recipient_kind": "lawyer", "person_redaction": "pseudonym",
                                                 "family_redaction": "pseudonym", "sources_redaction": "pseudonym"},
    )
    source_list = list_imports.source_list_create(actor=cast.caseworker1, data={"title": "Matrix list"})
    with capture(execute=True):
        upload = list_imports.list_upload_create(
            actor=cast.caseworker1, source_list=source_list, filename="l.csv", content="name;dob\nRustam Nysanbaev;1994-05-17\n".encode()
        )
    with capture(execute=True):
        list_imports.list_import_start(actor=cast.caseworker1, upload=upload, mapping={"full_name": "name", "birth_date": "dob"})
    candidate = MatchCandidate.objects.get(person=cast.case.person)
    token, _raw = token_issue(actor=None, user=cast.caseworker2, scope="intake", days=1, system="tests")
    return {"file": file, "referral": referral, "source_list": source_list, "upload": upload, "candidate": candidate, "token": token,
            **_intake_and_others(cast, capture, source_list)}


def _intake_and_others(cast, capture, source_list) -> dict:
    """A real family report (with a photo) triaged into caseworker1's case, caseworker1's own estimate, and a
    second admin's request to change their own roles."""
    from accounts.services import role_change_request
    from intake import triage
    from intake.models import Submission
    from patterns.estimation.services import estimate_request
    from tests.intake.conftest import ANSWERS, jpeg_with_gps, upload

    assert Client().post("/report/en/", {**ANSWERS, "files": [upload("passport.jpg", jpeg_with_gps())]}).status_code == 200
    submission = Submission.objects.get()
    with capture(execute=True):
        triage.to_existing_case(actor=cast.caseworker1, submission=submission, case=cast.case)
    with capture(execute=True):
        job = estimate_request(actor=cast.caseworker1, list_ids=[source_list.pk], include_cases=True, stratum="", exports=[], secret="")
    job.refresh_from_db()
    assert job.status == "done", job.failure
    role_request = role_change_request(actor=make_user("admin2", ADMIN), roles=[ADMIN, CASEWORKER])
    from casework.services import follow_up_add

    follow_up = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call back", assignee=cast.caseworker1, due=datetime.date.today())
    flagged = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call again", assignee=cast.caseworker1, due=datetime.date.today())
    to_take = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call them", assignee=cast.caseworker1, due=datetime.date.today())
    type(flagged).objects.filter(pk__in=[flagged.pk, to_take.pk]).update(flagged=True)  # as a revoked grant leaves them
    from casework.reviews import review_request

    review = review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="Please check the timeline")
    return {"submission": submission, "attachment": submission.attachments.get(), "job": job, "role_request": role_request,
            "follow_up": follow_up, "flagged_follow_up": flagged, "follow_up_to_take": to_take, "review": review, **_tag_and_search(cast)}


def _tag_and_search(cast) -> dict:
    """A tag an admin defined, put on caseworker1's case, and caseworker1's own saved search by the person's name."""
    from casework.searches import saved_search_create
    from casework.tags import case_tag_add, tag_create

    tag = tag_create(actor=cast.admin1, name="Matrix tag")
    case_tag_add(actor=cast.caseworker1, case=cast.case, tag=tag)
    search = saved_search_create(actor=cast.caseworker1, name="Matrix search", query=cast.case.person.name_latin, filters={"status": "intake"})
    return {"tag": tag, "search": search, **_of_others(cast)}


def _of_others(cast) -> dict:
    """Real objects no visitor of the matrix owns: a second admin's authenticator, a supporting link of the
    outsider's case in the assessment of a legal user it is shared with."""
    from cases import access, services
    from referrals.services import assessment_link_add
    from tests.cast import enrol_totp

    legal2 = make_user("legal2", LEGAL, password=None)
    access.case_share_with_legal(actor=cast.outsider, case=cast.other_case, user=legal2)
    event = services.event_add(actor=cast.outsider, case=cast.other_case, data={"type": "detention", "date_precision": "unknown"})
    link = assessment_link_add(actor=legal2, case=cast.other_case, code="element:act", strength="strong", event=event)
    return {"others_device": enrol_totp(make_user("admin3", ADMIN, password=None)), "others_link": link}


@pytest.fixture
def m(cast, django_capture_on_commit_callbacks):
    from cases import services

    event = services.event_add(actor=cast.caseworker1, case=cast.case, data={"type": "detention", "date_precision": "unknown"})
    source = services.source_add(actor=cast.caseworker1, case=cast.case, data={"kind": "family", "title": "Sister's call"})
    return SimpleNamespace(
        **vars(cast),
        contact=cast.case.contacts.get(),
        event=event,
        source=source,
        spare=make_user("spare", CASEWORKER, password=None),
        **_real_objects(cast, django_capture_on_commit_callbacks),
    )


def _client_for(visitor: str, m) -> Client:
    client = Client(raise_request_exception=False)  # a crash is reported as a 500 beside the other failures
    user = {"caseworker": m.caseworker1, "legal": m.legal1, "admin": m.admin1, "outsider": m.outsider}.get(visitor)
    if user is not None:
        assert roles_of(user) == {VISITOR_ROLES[visitor]}, visitor
        sign_in(client, user)
    return client


def _secrets(m) -> list[str]:
    reporter = m.contact.name
    from tests.intake.conftest import ANSWERS

    return [m.case.reference, m.case.person.name_latin, m.case.person.name_cyrillic, reporter, ANSWERS["name"], ANSWERS["where_when"]]


def _matches(response, expected) -> bool:
    if expected == ANY:
        return True
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
    if isinstance(expected, set):
        return response.status_code in expected
    return response.status_code == expected


@pytest.mark.django_db
def test_access_matrix(m):
    names = all_url_names()
    secrets = _secrets(m)
    failures = []
    clients: dict[str, Client] = {}
    for name, spec in MATRIX.items():
        if name not in names:
            continue
        url = reverse(name, kwargs=spec["kwargs"](m))
        for visitor in VISITORS:
            expected = spec["expect"][visitor]
            if visitor not in clients:
                clients[visitor] = _client_for(visitor, m)
            response = getattr(clients[visitor], spec["method"])(url)
            if name in SESSION_ENDERS:
                del clients[visitor]
            if not _matches(response, expected):
                where = response.get("Location", "")
                failures.append(f"{name} {spec['method'].upper()} {url} as {visitor}: got {response.status_code} {where}, expected {expected}")
            if visitor == "outsider":
                body = b"".join(response.streaming_content) if response.streaming else response.content
                # Not even the address the outsider typed: a 404 page for a case they may not see repeats no reference.
                text = body.decode("utf-8", "replace")
                leaked = [s for s in secrets if s and s in text]
                if leaked:
                    failures.append(f"{name} {url} as outsider: the response contains {leaked}")
    assert not failures, "Access matrix failures:\n" + "\n".join(failures)
