"""The roles are declared once (accounts/roles.py); the groups, the grant rules, the aggregate and list rules,
the forms and the second-factor default follow the declaration, so a new role is one entry."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.forms import RolesForm
from accounts.role_groups import sync_role_groups
from accounts.roles import Role, roles_of, second_factor_required
from cases import access
from cases.models import Case
from cases.selectors import case_perms, cases_for
from patterns.access import aggregate_cases, can_view_aggregates
from patterns.selectors import may_use_lists
from tests.cast import make_user, sign_in

pytestmark = pytest.mark.django_db

# Counts over every case, never a case, a case list, a person or a published list; a second factor.
RESEARCHER = Role("researcher", "Researcher", permissions=(), aggregates=True, second_factor=True)


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        for group in Group.objects.filter(name__in=roles.ROLES)
    }


def test_the_groups_carry_exactly_what_each_role_declares():
    assert group_permissions() == {role.name: role.group_permissions() for role in roles.ROLES.values()}


def test_a_group_changed_by_hand_is_brought_back_by_the_next_migrate():
    from django.contrib.auth.models import Permission

    legal = Group.objects.get(name=roles.LEGAL)
    legal.permissions.add(Permission.objects.get(content_type__app_label="cases", codename="change_case"))
    Group.objects.filter(name=roles.ADMIN).delete()
    sync_role_groups()  # what accounts.apps runs after every migrate
    assert group_permissions() == {role.name: role.group_permissions() for role in roles.ROLES.values()}


def test_a_declaration_that_names_no_real_permission_fails_loudly(monkeypatch):
    with pytest.raises(ValueError):
        Role("typo", "Typo", permissions=(), case_perms=("view_cases",))
    monkeypatch.setitem(roles.ROLES, "typo", Role("typo", "Typo", permissions=("cases.view_cases",)))
    from django.contrib.auth.models import Permission

    with pytest.raises(Permission.DoesNotExist):  # the migrate that would make its group stops
        sync_role_groups()


def test_the_second_factor_default_is_the_roles_that_declare_it(settings, cast):
    settings.DALIL_2FA_REQUIRED_FOR = None  # unset in the environment
    assert {roles.LEGAL, roles.ADMIN} <= set(roles.second_factor_role_names()) and roles.CASEWORKER not in roles.second_factor_role_names()
    assert second_factor_required(cast.legal1) and second_factor_required(cast.admin1)
    assert not second_factor_required(cast.caseworker1)
    settings.DALIL_2FA_REQUIRED_FOR = []  # an operator's empty list: nobody
    assert not second_factor_required(cast.legal1)


@pytest.fixture
def researcher_declared(monkeypatch, settings):
    """A "researcher" role added as the recipe in docs/architecture.md says: one entry in ROLES, then a migrate."""
    monkeypatch.setitem(roles.ROLES, RESEARCHER.name, RESEARCHER)
    settings.DALIL_2FA_REQUIRED_FOR = None
    sync_role_groups()
    return RESEARCHER


def test_a_new_role_is_one_entry_in_the_declaration(researcher_declared, cast, client):
    assert group_permissions()["researcher"] == {"patterns.view_aggregates"}
    assert (RESEARCHER.name, RESEARCHER.label) in RolesForm().fields["roles"].choices
    assert RolesForm(data={"roles": ["researcher"]}).is_valid()

    researcher = make_user("declared-researcher", "researcher", password=None)  # the real service accepts the new name
    assert roles_of(researcher) == {"researcher"} and second_factor_required(researcher)

    # Counts over every case, the cases of others included; not one case, list or person.
    assert can_view_aggregates(researcher)
    assert set(aggregate_cases(researcher)) == set(Case.objects.all()) >= {cast.case, cast.other_case}
    assert not cases_for(researcher).exists() and case_perms(researcher, cast.case) == frozenset()
    assert not may_use_lists(researcher)
    with pytest.raises(access.AccessError):  # no grant can ever count for it
        access.case_grant(actor=cast.admin1, case=cast.case, user=researcher, perms=["view_case"])

    sign_in(client, researcher)
    assert client.get(reverse("patterns:dashboard")).status_code == 200
    assert client.get(reverse("patterns:research_export"), {"format": "json"}).status_code == 200
    assert client.get(reverse("cases:detail", kwargs={"reference": cast.case.reference})).status_code == 404
    assert client.get(reverse("patterns:list_index")).status_code == 404
    case_list = client.get(reverse("cases:list"))
    assert case_list.status_code == 200 and cast.case.reference not in case_list.content.decode()


def test_every_role_is_a_visitor_of_the_access_matrix():
    """A role added to the declaration must get its column in tests/test_access_matrix.py."""
    from tests.test_access_matrix import VISITOR_ROLES

    assert set(roles.ROLES) == set(VISITOR_ROLES.values()), "add a visitor with this role to the access matrix"


def test_model_permissions_in_one_query_are_djangos_answer(cast, django_assert_num_queries):
    """accounts.backends.UserBackend reads a user's and their groups' model permissions in one query: the same
    set as Django's ModelBackend, including a permission given to the user directly."""
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from accounts.backends import UserBackend

    cast.outsider.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    for user in (cast.caseworker1, cast.legal1, cast.admin1, cast.outsider):
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            mine = UserBackend().get_all_permissions(fresh)
        assert mine == ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk)), user.username
        with django_assert_num_queries(0):
            assert fresh.has_perm(next(iter(mine))) if mine else True
    assert "audit.view_auditevent" in UserBackend().get_all_permissions(type(cast.outsider).objects.get(pk=cast.outsider.pk))
