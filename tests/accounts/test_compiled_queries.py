"""The queries every signed-in page runs, compiled once per process (common/compiled.py): each run still asks
the database with its own values, so one user never gets another's answer and a change applies at once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import services
from accounts.backends import UserBackend
from accounts.roles import ADMIN, CASEWORKER, LEGAL, roles_of
from accounts.sessions import SessionStore
from casework import services as casework_services
from casework.selectors import attention_count, nav_counts
from casework.notifications import unread_count
from common.compiled import PLACEHOLDER_INT, Compiled
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_each_user_is_loaded_with_their_own_roles_and_a_role_change_applies_to_the_next_request(cast):
    backend = UserBackend()
    for user, roles in ((cast.caseworker1, {CASEWORKER}), (cast.legal1, {LEGAL}), (cast.admin1, {ADMIN})):
        loaded = backend.get_user(user.pk)
        assert loaded.pk == user.pk and loaded.username == user.username
        assert roles_of(loaded) == roles
        assert loaded.get_all_permissions() == get_user_model().objects.get(pk=user.pk).get_all_permissions()
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker1, roles=[LEGAL])
    assert roles_of(backend.get_user(cast.caseworker1.pk)) == {LEGAL}
    assert "cases.add_case" not in backend.get_user(cast.caseworker1.pk).get_all_permissions()
    services.user_deactivate(actor=cast.admin1, user=cast.legal1)
    assert backend.get_user(cast.legal1.pk) is None
    assert backend.get_user(987654) is None and backend.get_user("not a number") is None


def test_the_navigation_counts_are_each_users_own(cast):
    today = timezone.localdate()
    casework_services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=today)
    own = make_case(actor=cast.caseworker2, name_latin="Other Person", name_cyrillic="")
    for day in (1, 2):
        casework_services.follow_up_add(actor=cast.caseworker2, case=own, what="Ask", assignee=cast.caseworker2, due=today - datetime.timedelta(days=day))
    # Asked in turn, each user's counts are their own (the compiled query is shared, its values are not).
    for _ in range(2):
        for user, expected in ((cast.caseworker1, 1), (cast.caseworker2, 2), (cast.outsider, 0), (cast.legal1, 0), (cast.admin1, 0)):
            assert nav_counts(user) == (attention_count(user), unread_count(user))
            assert nav_counts(user)[0] == expected


def test_a_session_is_found_only_by_its_key_and_only_before_it_expires():
    store = SessionStore()
    store["marker"] = "kept"
    store.save()
    assert SessionStore(store.session_key).load() == DjangoSessionStore(store.session_key).load() == {"marker": "kept"}
    other = store.session_key[:-1] + ("x" if store.session_key[-1] != "x" else "y")  # one character off, never the same key
    assert SessionStore(other).load() == {}
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert SessionStore(store.session_key).load() == {}


def test_a_query_whose_values_do_not_reach_its_sql_is_refused_not_run_with_the_placeholder():
    # Built without using its argument: compiling it once would give every caller the same rows.
    wrong = Compiled(lambda *, user_id: get_user_model().objects.filter(is_active=True).values_list("pk"), user_id=PLACEHOLDER_INT)
    with pytest.raises(ValueError, match="user_id"):
        wrong.rows(user_id=1)
    right = Compiled(lambda *, user_id: get_user_model().objects.filter(pk=user_id).values_list("pk"), user_id=PLACEHOLDER_INT)
    with pytest.raises(TypeError):
        right.rows(pk=1)
