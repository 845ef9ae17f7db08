"""Per-case grants, roles and the selectors that apply them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import Http404

from accounts import services
from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from audit.models import AuditEvent
from cases import access
from cases.models import CaseAssignment
from cases.selectors import case_get_for, cases_for
from tests.cast import make_user
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def refs(user, perm="view_case"):
    return set(cases_for(user, perm=perm).values_list("reference", flat=True))


def test_roles_exist_with_model_permissions():
    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert {"caseworker", "legal", "admin"} <= set(groups)
    assert {"view_case", "change_case", "download_evidence", "prepare_referral", "add_case"} <= groups["caseworker"]
    assert "change_case" not in groups["legal"] and {"view_case", "prepare_referral"} <= groups["legal"]
    assert {"manage_users", "manage_access"} <= groups["admin"] and "change_case" not in groups["admin"]


def test_grants_use_direct_foreign_key_tables(cast):
    assert CaseUserObjectPermission.objects.filter(user=cast.caseworker1, content_object=cast.case).count() == 4
    assert CaseAssignment.objects.get(case=cast.case, user=cast.caseworker1).reason == access.REASON_CREATOR


def test_each_role_sees_only_its_cases(cast):
    assert refs(cast.caseworker1) == {cast.case.reference}
    assert refs(cast.legal1) == {cast.case.reference}
    assert refs(cast.legal1, "change_case") == set()
    assert refs(cast.admin1) == set()
    assert refs(cast.outsider) == {cast.other_case.reference}
    assert refs(cast.caseworker2) == set()
    with pytest.raises(Http404):
        case_get_for(cast.outsider, reference=cast.case.reference)
    with pytest.raises(Http404):
        case_get_for(cast.outsider, reference="DAL-1999-9999")


def test_assign_many_and_unassign_are_audited(cast):
    second = make_case(actor=cast.caseworker1, name_latin="Other Person")
    changed = access.case_assign(actor=cast.admin1, user=cast.caseworker2, cases=[cast.case, second])
    assert len(changed) == 2 and refs(cast.caseworker2) == {cast.case.reference, second.reference}
    events = AuditEvent.objects.filter(action="access.grant.added", actor=cast.admin1)
    assert {e.case_ref for e in events} == {cast.case.reference, second.reference}
    assert events.first().data["user"] == "caseworker2"
    access.case_unassign(actor=cast.admin1, user=cast.caseworker2, cases=[second])
    assert refs(cast.caseworker2) == {cast.case.reference}
    assert AuditEvent.objects.filter(action="access.grant.removed", case_ref=second.reference).count() == 1
    assert not CaseAssignment.objects.filter(case=second, user=cast.caseworker2).exists()


def test_assign_refuses_a_user_without_the_caseworker_role(cast):
    with pytest.raises(access.AccessError):
        access.case_assign(actor=cast.admin1, user=cast.legal1, cases=[cast.case])
    assert not CaseUserObjectPermission.objects.filter(user=cast.legal1, permission__codename="change_case").exists()


def test_revocation_applies_to_the_very_next_query(cast):
    qs_before = refs(cast.legal1)
    access.case_revoke(actor=cast.admin1, case=cast.case, user=cast.legal1)
    assert qs_before == {cast.case.reference} and refs(cast.legal1) == set()
    assert AuditEvent.objects.filter(action="access.grant.removed", case_ref=cast.case.reference).exists()


def test_removing_a_role_ends_access_without_touching_grants(cast):
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker1, roles=[])
    cast.caseworker1.refresh_from_db()
    assert refs(cast.caseworker1) == set()
    assert CaseUserObjectPermission.objects.filter(user=cast.caseworker1).exists()
    event = AuditEvent.objects.get(action="account.role.changed")
    assert event.data == {"added": [], "removed": ["caseworker"]}
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker1, roles=["caseworker"])
    assert refs(cast.caseworker1) == {cast.case.reference}


def test_deactivated_user_sees_nothing(cast):
    services.user_deactivate(actor=cast.admin1, user=cast.caseworker1)
    cast.caseworker1.refresh_from_db()
    assert refs(cast.caseworker1) == set()


def test_sharing_with_all_legal_staff_uses_a_group_grant_and_sensitive_cases_ignore_it(cast):
    legal2 = make_user("legal2", "legal", password=None)
    access.case_share_with_legal(actor=cast.caseworker1, case=cast.other_case)
    assert CaseGroupObjectPermission.objects.filter(content_object=cast.other_case, group__name="legal").exists()
    assert cast.other_case.reference in refs(legal2)
    access.case_set_sensitive(actor=cast.admin1, case=cast.other_case, sensitive=True)
    assert cast.other_case.reference not in refs(legal2)
    assert cast.other_case.reference in refs(cast.outsider)  # the named assignee keeps it
    with pytest.raises(access.AccessError):
        access.case_share_with_legal(actor=cast.outsider, case=cast.other_case)
    assert AuditEvent.objects.filter(action="access.case.sensitivity_changed").count() == 1


def test_sensitive_case_is_hidden_from_bulk_caseworker_team(cast):
    team = Group.objects.create(name="team-north")
    cast.caseworker2.groups.add(team)
    perm = access.permission_rows(["view_case"])[0]
    CaseGroupObjectPermission.objects.create(group=team, content_object=cast.case, permission=perm)
    assert cast.case.reference in refs(cast.caseworker2)
    access.case_set_sensitive(actor=cast.admin1, case=cast.case, sensitive=True)
    assert cast.case.reference not in refs(cast.caseworker2)
    assert cast.case.reference in refs(cast.caseworker1)


def test_admin_self_grant_is_audited_and_read_only(cast):
    assert access.case_grant_self(actor=cast.admin1, case=cast.case) == ["view_case"]
    assert refs(cast.admin1) == {cast.case.reference} and refs(cast.admin1, "change_case") == set()
    event = AuditEvent.objects.filter(action="access.grant.added", actor=cast.admin1).get()
    assert event.data["reason"] == "admin_self_grant"
    with pytest.raises(access.AccessError):
        access.case_grant_self(actor=cast.caseworker2, case=cast.case)


def test_case_perms_and_access_report(cast):
    assert access.case_perms_for(cast.legal1, cast.case) == {"view_case", "download_evidence", "prepare_referral"}
    assert access.case_perms_for(cast.outsider, cast.case) == set()
    rows = {r.holder: r for r in access.case_access_report(cast.case)}
    assert rows["caseworker1"].reason == "creator" and "change_case" in rows["caseworker1"].effective
    assert rows["legal1"].reason == "shared_with_legal"
    assert "outsider" not in rows


def test_related_records_follow_case_scope(cast):
    from cases.selectors import contacts_for, events_for

    assert contacts_for(cast.caseworker1, case=cast.case).count() == 1
    assert contacts_for(cast.outsider, case=cast.case).count() == 0
    assert events_for(cast.outsider, case=cast.case).count() == 0


# The access rules stated by hand (docs/access.md), not computed: who holds what on which case in the scene
# _access_scene builds. A grant counts only with a role carrying it; a group grant never opens a sensitive
# case; a deactivated user holds nothing; a superuser holds everything.
V, C, D, R = "view_case", "change_case", "download_evidence", "prepare_referral"
ALL = {V, C, D, R}
WHO_HOLDS_WHAT = {
    # user:       {case: permissions}; a case not named: nothing
    "caseworker1": {"case": ALL},  # its creator
    "caseworker2": {"open_case": ALL, "sensitive_case": ALL},  # creator of both; a direct grant opens a sensitive case
    "legal1": {"case": {V, D, R}, "open_case": {V, D, R}},  # named on `case`; all legal on open_case; not the sensitive one
    "admin1": {"other_case": {V}},  # its audited self-grant
    "outsider": {"other_case": ALL},  # its creator
    "mover": {"open_case": {V, D, R}, "sensitive_case": {V, D, R}},  # assigned as a caseworker, now legal: change_case no longer counts
    "gone": {},  # assigned, then deactivated
    "roleless": {},  # assigned, then every role taken away
    "root": {"case": ALL, "other_case": ALL, "open_case": ALL, "sensitive_case": ALL},  # a superuser
}


def _access_scene(cast) -> dict:
    """The cast's two cases plus a case shared with all legal staff, and one shared so and then marked sensitive."""
    open_case = make_case(actor=cast.caseworker2, name_latin="Open Case")
    sensitive_case = make_case(actor=cast.caseworker2, name_latin="Sensitive Case")
    for shared in (open_case, sensitive_case):
        access.case_share_with_legal(actor=cast.caseworker2, case=shared)
    access.case_set_sensitive(actor=cast.caseworker2, case=sensitive_case, sensitive=True)
    access.case_grant_self(actor=cast.admin1, case=cast.other_case)
    mover, gone, roleless = (make_user(name, "caseworker", password=None) for name in ("mover", "gone", "roleless"))
    access.case_assign(actor=cast.admin1, user=mover, cases=[open_case, sensitive_case])
    services.user_set_roles(actor=cast.admin1, user=mover, roles=["legal"])
    access.case_assign(actor=cast.admin1, user=gone, cases=[cast.case, open_case])
    services.user_deactivate(actor=cast.admin1, user=gone)
    access.case_assign(actor=cast.admin1, user=roleless, cases=[cast.case])
    services.user_set_roles(actor=cast.admin1, user=roleless, roles=[])
    root = make_user("root", password=None)
    get_user_model().objects.filter(pk=root.pk).update(is_superuser=True)  # createsuperuser's flag; no service sets it
    return {"case": cast.case, "other_case": cast.other_case, "open_case": open_case, "sensitive_case": sensitive_case}


def test_case_perms_in_one_query_match_the_rules_of_cases_for(cast, django_assert_max_num_queries):
    """Both statements of the rules in code, the SQL of cases_for and the one query of case_perms, against the table."""
    from django.contrib.auth import get_user_model

    from accounts.roles import CASE_PERMS
    from cases.selectors import case_perms

    cases = _access_scene(cast)
    wrong = []
    for username, held_by_hand in WHO_HOLDS_WHAT.items():
        user = get_user_model().objects.get(username=username)
        for name, case in cases.items():
            expected = held_by_hand.get(name, set())
            fresh = type(case).objects.get(pk=case.pk)  # nothing remembered on it
            with django_assert_max_num_queries(1):
                held = case_perms(user, fresh)
            with django_assert_max_num_queries(0):
                assert case_perms(user, fresh) == held  # asked once per instance and user
            listed = {perm for perm in CASE_PERMS if cases_for(user, perm=perm).filter(pk=case.pk).exists()}
            if held != expected or listed != expected:
                wrong.append(f"{username} on {name}: the table says {sorted(expected)}, case_perms {sorted(held)}, cases_for {sorted(listed)}")
    assert not wrong, "\n".join(wrong)


def test_case_get_for_learns_every_permission_in_its_one_query(cast, django_assert_num_queries):
    """What case_get_for learns in its query (direct grants, group grants, roles, sensitivity) is what
    case_perms would have asked for."""
    from cases.selectors import case_perms

    legal2 = make_user("legal2", "legal", password=None)
    access.case_share_with_legal(actor=cast.caseworker1, case=cast.other_case)  # a group grant
    users = (cast.caseworker1, cast.caseworker2, cast.legal1, legal2, cast.outsider)
    for sensitive in (False, True):
        if sensitive:
            access.case_set_sensitive(actor=cast.admin1, case=cast.other_case, sensitive=True)
        for case_ in (cast.case, cast.other_case):
            for user in users:
                expected = access.case_perms_for(user, case_)
                try:
                    with django_assert_num_queries(1):
                        case = case_get_for(user, reference=case_.reference)
                except Http404:
                    assert "view_case" not in expected, user.username
                    continue
                with django_assert_num_queries(0):
                    assert case_perms(user, case) == expected, (user.username, sensitive)


def test_a_case_resolved_for_one_user_opens_nothing_to_another(cast):
    """What case_get_for learnt about caseworker1 rides on the instance for caseworker1 alone."""
    from cases.selectors import case_get_for, contacts_for, events_for, user_has_case_perm

    case = case_get_for(cast.caseworker1, reference=cast.case.reference)
    assert user_has_case_perm(cast.caseworker1, case) and contacts_for(cast.caseworker1, case=case).count() == 1
    assert not user_has_case_perm(cast.outsider, case)
    assert contacts_for(cast.outsider, case=case).count() == 0 and events_for(cast.outsider, case=case).count() == 0
    assert user_has_case_perm(cast.caseworker1, case)  # asking about another user did not overwrite the first answer
    cast.caseworker1.is_active = False
    assert not user_has_case_perm(cast.caseworker1, case) and contacts_for(cast.caseworker1, case=case).count() == 0
