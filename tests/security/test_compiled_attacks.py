"""Attacks on the queries compiled once per process (common/compiled.py, issue 16) and on the case list's filter
panel kept in process memory (cases/list_filters.py).

The SQL of the signed-in user, their permissions, their session and their navigation counts is now built once and
run with each request's values; the navigation counts are built once per "shape" of user; the case page learns the
held case permissions as bits. Each test here tries to make one user's answer come from SQL built for someone else,
or a change (a role, a grant, a flag, an expiry) miss the very next request. They run on PostgreSQL and on the
embedded SQLite default alike (DATABASE_URL unset).
"""

import datetime
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.backends import UserBackend
from accounts.roles import ADMIN, CASE_PERMS, CASEWORKER, LEGAL, roles_of
from casework import selectors as casework_selectors
from casework import services as casework_services
from casework import tags
from casework.models_collab import Notification
from casework.notifications import notify, unread_count
from casework.selectors import attention_count, nav_counts
from cases import access, list_filters
from cases.selectors import case_get_for, case_perms
from tests.cast import build_cast, make_user, role_user, sign_in

pytestmark = pytest.mark.django_db
User = get_user_model()
Kind = Notification.Kind


def _superuser(username, *roles):
    user = make_user(username, *roles)
    User.objects.filter(pk=user.pk).update(is_superuser=True)  # createsuperuser's flag; no service sets it
    user.refresh_from_db()
    return user


def _fresh(user):
    """The user as the next request loads them (accounts.backends.UserBackend, the compiled query)."""
    return UserBackend().get_user(user.pk)


# --- The signed-in user and their permissions -----------------------------------------------------------------

def test_interleaved_loads_give_each_user_their_own_flags_roles_and_permissions(cast):
    root = _superuser("root-compiled", LEGAL)
    triage = Permission.objects.get(content_type__app_label="intake", codename="triage")
    cast.legal1.user_permissions.add(triage)  # one user's own model permission, held by no role of theirs
    people = [cast.caseworker1, root, cast.legal1, cast.admin1, cast.outsider]
    for _ in range(2):
        for user in people:
            loaded = _fresh(user)
            expected = User.objects.get(pk=user.pk)
            fields = [field.attname for field in User._meta.concrete_fields]  # each read back as the ORM reads it
            assert [getattr(loaded, name) for name in fields] == [getattr(expected, name) for name in fields]
            assert roles_of(loaded) == roles_of(expected)
            assert loaded.get_all_permissions() == expected.get_all_permissions()
            assert ("intake.triage" in loaded.get_all_permissions()) == (user.pk in (cast.caseworker1.pk, root.pk, cast.legal1.pk, cast.outsider.pk))
    assert len(_fresh(root).get_all_permissions()) == Permission.objects.count()
    assert "intake.triage" not in _fresh(cast.admin1).get_all_permissions()


def test_a_flag_role_or_permission_changed_behind_the_services_back_counts_on_the_next_load(cast):
    user = cast.legal1
    assert not _fresh(user).is_superuser
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert _fresh(user).is_superuser and len(_fresh(user).get_all_permissions()) == Permission.objects.count()
    User.objects.filter(pk=user.pk).update(is_superuser=False, is_active=False)
    assert _fresh(user) is None
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.groups.clear()
    assert roles_of(_fresh(user)) == set() and _fresh(user).get_all_permissions() == set()


# --- The session ----------------------------------------------------------------------------------------------

def test_each_client_keeps_its_own_session_and_an_expired_one_ends_on_the_next_request(cast):
    first, second = sign_in(Client(), cast.caseworker1), sign_in(Client(), cast.legal1)
    for _ in range(2):
        assert first.get("/").wsgi_request.user.pk == cast.caseworker1.pk
        assert second.get("/").wsgi_request.user.pk == cast.legal1.pk
    Session.objects.filter(session_key=first.session.session_key).update(expire_date=timezone.now() - datetime.timedelta(microseconds=1))
    response = first.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert second.get("/").wsgi_request.user.pk == cast.legal1.pk


# --- The navigation counts, compiled once per shape -----------------------------------------------------------

@pytest.fixture
def fresh_shapes():
    """Every shape compiled anew, so that a test decides which kind of user compiles each shape first; what
    earlier tests of the run left in the process (compiled queries, filter panels) is dropped first."""
    from accounts import backends, sessions

    def forget():
        casework_selectors._NAV_COUNTS.clear()
        list_filters._PANEL_HTML.clear()
        for query in (backends.USER_WITH_ROLES, backends.PERMISSIONS_OF, sessions._LIVE_SESSION):
            query._sql.clear()

    forget()
    yield
    forget()


def _counts_match(*users):
    for user in users:
        assert nav_counts(user) == (attention_count(user), unread_count(user)), user.username


def test_a_caseworker_never_runs_the_superusers_counts(cast, fresh_shapes):
    # Same roles and permissions; only the superuser flag differs. A follow-up stays the caseworker's after their
    # grant on its case is taken: the superuser's shape (every case) would still count it.
    root = _superuser("root-counts", CASEWORKER)
    for assignee in (cast.caseworker1, root):  # root holds no grant on the case: being a superuser is enough
        casework_services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=assignee, due=timezone.localdate())
    access.case_revoke(actor=cast.admin1, case=cast.case, user=cast.caseworker1)
    for order in ((root, cast.caseworker1), (cast.caseworker1, root)):
        casework_selectors._NAV_COUNTS.clear()
        assert {user.username: nav_counts(_fresh(user))[0] for user in order} == {"root-counts": 1, "caseworker1": 0}
    _counts_match(root, cast.caseworker1)


def test_a_user_without_intake_triage_never_runs_the_shape_of_one_with_it(cast, fresh_shapes):
    # Two legal users; one holds intake.triage by a permission of their own, so only the role set is the same.
    triager = role_user(LEGAL, username="legal-triager")
    triager.user_permissions.add(Permission.objects.get(content_type__app_label="intake", codename="triage"))
    triager = _fresh(triager)
    before = nav_counts(_fresh(cast.legal1))  # the case shared with them in the cast
    casework_selectors._NAV_COUNTS.clear()
    notify(recipients=[triager, cast.legal1], kind=Kind.INTAKE_NEW)
    assert nav_counts(triager) == (0, 1)
    assert nav_counts(_fresh(cast.legal1)) == before
    _counts_match(triager, _fresh(cast.legal1))


def test_an_integrity_alarm_is_counted_for_admins_only_whoever_compiled_first(cast, fresh_shapes):
    both = role_user(LEGAL, username="legal-and-admin")
    services.user_set_roles(actor=cast.admin1, user=both, roles=[LEGAL, ADMIN])
    expected = {user.username: nav_counts(_fresh(user))[1] + (user != cast.legal1) for user in (cast.admin1, cast.legal1, both)}
    notify(recipients=[cast.admin1, cast.legal1, both], kind=Kind.INTEGRITY_FAILED)
    for order in ((cast.admin1, cast.legal1, both), (both, cast.legal1, cast.admin1)):
        casework_selectors._NAV_COUNTS.clear()
        found = {user.username: nav_counts(_fresh(user))[1] for user in order}
        assert found == expected


def test_a_role_removed_changes_the_counts_on_the_next_request(cast, fresh_shapes):
    before = nav_counts(_fresh(cast.admin1))
    notify(recipients=[cast.admin1], kind=Kind.INTEGRITY_FAILED)
    assert nav_counts(_fresh(cast.admin1)) == (before[0], before[1] + 1)
    services.user_set_roles(actor=None, user=cast.admin1, roles=[LEGAL])
    assert nav_counts(_fresh(cast.admin1)) == before


def _reachable_from(root) -> list:
    """Every object reachable from `root` through data (not through classes, modules or a module's globals)."""
    import gc
    import types

    skipped = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
    seen, found, todo = set(), [], [root]
    while todo:
        obj = todo.pop()
        # type(), not isinstance(): isinstance would make a lazy object (request.user) load itself.
        if id(obj) in seen or issubclass(type(obj), skipped):
            continue
        seen.add(id(obj))
        found.append(obj)
        if not (type(obj) is dict and "__name__" in obj and "__builtins__" in obj):
            todo.extend(gc.get_referents(obj))
    return found


def test_no_request_user_or_search_text_is_kept_with_a_compiled_shape(cast, fresh_shapes):
    from accounts import backends, sessions

    # Only SQL text is kept between requests (common/compiled.py). The first request of a shape here is a refused
    # search, whose page still shows the navigation counts: neither that request (its POSTed name, its session)
    # nor its user (password hash, e-mail) may live on with the shape for as long as the process.
    client = sign_in(Client(), cast.caseworker1)
    refused = client.post(reverse("cases:list"), {"q": "Каримов", "status": "nonsense"})
    assert refused.status_code == 400 and casework_selectors._NAV_COUNTS
    kept = _reachable_from([casework_selectors._NAV_COUNTS, backends.USER_WITH_ROLES, backends.PERMISSIONS_OF, sessions._LIVE_SESSION])
    assert not [obj for obj in kept if type(obj) is str and client.session.session_key in obj]
    assert not [obj for obj in kept if type(obj) is str and "Каримов" in obj]
    assert not [obj for obj in kept if type(obj).__name__ in ("WSGIRequest", "SessionStore")]
    assert not [obj for obj in kept if type(obj) is User and (obj.pk or 0) > 0]


# --- The case page's held permissions, as bits ----------------------------------------------------------------

def _held(user, case) -> set[str]:
    """What the case page learns the user holds (the bits of case_get_for), checked against case_perms' own query."""
    from cases.models import Case

    user = _fresh(user)
    learnt = case_perms(user, case_get_for(user, reference=case.reference))
    assert learnt == case_perms(user, Case.objects.get(pk=case.pk), fresh=True), user.username
    return set(learnt)


def test_a_group_grant_counts_through_the_bits_only_on_a_case_that_is_not_sensitive(cast):
    from django.http import Http404

    case, legal2 = cast.case, role_user(LEGAL, username="legal2")
    access.case_revoke(actor=cast.caseworker1, case=case, user=cast.legal1, perms=["download_evidence", "prepare_referral"])
    assert _held(cast.legal1, case) == {"view_case"}
    access.case_share_with_legal(actor=cast.caseworker1, case=case)  # every legal user, through their role group
    legal = {"view_case", "download_evidence", "prepare_referral"}
    assert _held(cast.legal1, case) == _held(legal2, case) == legal
    access.case_set_sensitive(actor=cast.caseworker1, case=case, sensitive=True)
    assert _held(cast.legal1, case) == {"view_case"}  # the direct grant only; the group's are not counted
    with pytest.raises(Http404):
        case_get_for(_fresh(legal2), reference=case.reference)
    assert _held(cast.caseworker1, case) == set(CASE_PERMS)


def test_a_case_permission_counts_only_with_a_role_that_carries_it_and_a_grant_that_gives_it(cast):
    case = cast.case
    access.case_grant(actor=cast.caseworker1, case=case, user=cast.caseworker2, perms=["view_case", "change_case"])
    assert _held(cast.caseworker2, case) == {"view_case", "change_case"}  # the role carries all four: granted two
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker2, roles=[LEGAL])
    assert _held(cast.caseworker2, case) == {"view_case"}  # change_case is still granted; legal does not carry it
    services.user_set_roles(actor=cast.admin1, user=cast.caseworker2, roles=[LEGAL, ADMIN])
    assert _held(cast.caseworker2, case) == {"view_case"}
    access.case_share_with_legal(actor=cast.caseworker1, case=case)
    assert _held(cast.caseworker2, case) == {"view_case", "download_evidence", "prepare_referral"}
    access.case_grant_self(actor=_fresh(cast.admin1), case=case)
    assert _held(cast.admin1, case) == {"view_case"}
    root = _superuser("root-bits")
    assert case_perms(_fresh(root), case_get_for(_fresh(root), reference=case.reference)) == set(CASE_PERMS)


# --- The filter panel kept in process memory ------------------------------------------------------------------

def _panel(html: str) -> str:
    return re.search(r'<form method="post" action="/"[^>]*>(.*?)</form>', html, re.S).group(1)


def test_the_panel_keeps_no_search_text_saved_search_or_tag_of_a_users_cases(cast, fresh_shapes):
    from casework import searches

    tag = tags.tag_create(actor=cast.admin1, name="Returned home")
    tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=tag)
    searches.saved_search_create(actor=cast.caseworker1, name="Nysanbaev family", query="Нысанбаев", filters={"status": "active"})
    first, second = sign_in(Client(), cast.caseworker1), sign_in(Client(), cast.caseworker2)
    searched = first.post("/", {"q": "Нысанбаев", "status": "active"}, follow=True).content.decode()
    assert 'value="Нысанбаев"' in _panel(searched) and "Nysanbaev family" in searched
    reporters = first.post("/", {"search_in": "reporter", "status": "active"}, follow=True)
    assert reporters.status_code == 200
    others = _panel(second.get("/", {"status": "active"}).content.decode())
    assert '<option value="active" selected>' in others and "Нысанбаев" not in others
    assert 'value="reporter" selected' not in others
    kept = "".join(list_filters._PANEL_HTML.values())
    for private in ("Нысанбаев", "Nysanbaev", "DAL-", 'value="reporter" selected'):
        assert private not in kept
    assert f'<option value="{tag.pk}">Returned home</option>' in kept  # a tag's name is no one's: it is kept


def test_a_refused_tag_and_a_retired_one_in_each_language(cast, fresh_shapes):
    client = sign_in(Client(), cast.caseworker1)
    assert client.get("/", {"tag": "999999"}).status_code == 400
    assert not any("999999" in html for html in list_filters._PANEL_HTML.values())
    tag = tags.tag_create(actor=cast.admin1, name="Detained")
    tags.tag_retire(actor=cast.admin1, tag=tag)
    for _ in range(2):
        english = _panel(client.get("/", {"tag": tag.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        russian = _panel(client.get("/", {"tag": tag.pk}, HTTP_ACCEPT_LANGUAGE="ru").content.decode())
        assert f'<option value="{tag.pk}" selected>Detained (retired)</option>' in english and "выведена" not in english
        assert f'<option value="{tag.pk}" selected>Detained (выведена)</option>' in russian and "retired" not in russian
        assert "Статус" in russian and "Status" not in russian


# --- Two threads at once --------------------------------------------------------------------------------------

def _in_threads(*work):
    """Run each callable in its own thread, started together; re-raise the first failure."""
    barrier, failures = threading.Barrier(len(work)), []

    def run(job):
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001  # handed to the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


@pytest.mark.django_db(transaction=True)
def test_two_threads_never_get_each_others_user_counts_session_or_panel(fresh_shapes):
    from accounts import backends
    from accounts.sessions import SessionStore
    from cases.list_filters import CaseFilterForm
    from django.template.loader import render_to_string
    from django.utils import translation

    people = build_cast()
    root = _superuser("root-threads", ADMIN)
    notify(recipients=[root], kind=Kind.INTEGRITY_FAILED)
    casework_services.follow_up_add(actor=people.caseworker1, case=people.case, what="Call", assignee=people.caseworker1, due=timezone.localdate())
    backends.USER_WITH_ROLES._sql.clear()  # every compiled query is compiled by both threads at once
    backends.PERMISSIONS_OF._sql.clear()

    def worker(user, language, status):
        expected = (attention_count(_fresh(user)), unread_count(_fresh(user)), roles_of(_fresh(user)), _fresh(user).get_all_permissions())
        store = SessionStore()
        store["who"] = user.username
        store.save()

        def job():
            for _ in range(15):
                loaded = _fresh(user)
                assert loaded.pk == user.pk and SessionStore(store.session_key).load() == {"who": user.username}
                assert (*nav_counts(loaded), roles_of(loaded), loaded.get_all_permissions()) == expected
                with translation.override(language):
                    form = CaseFilterForm({"status": status}, user=loaded)
                    assert list_filters.filter_panel_fields(form) == render_to_string("cases/_filter_fields.html", {"form": form})
        return job

    _in_threads(worker(people.caseworker1, "en", "active"), worker(root, "ru", "closed"))
    _in_threads(worker(people.legal1, "ru", "active"), worker(people.admin1, "en", "active"))


# --- What may be compiled once --------------------------------------------------------------------------------

def test_a_value_derived_from_a_placeholder_or_a_branch_on_one_is_refused_not_frozen(cast):
    from casework.models import FollowUp
    from common.compiled import PLACEHOLDER_DATE, PLACEHOLDER_INT, Compiled

    # The week before `today` would be the week before the placeholder (1901) for every later caller.
    week = Compiled(lambda *, today: FollowUp.objects.filter(due__lte=today, due__gt=today - datetime.timedelta(days=7)).values_list("pk"),
                    today=PLACEHOLDER_DATE)
    with pytest.raises(ValueError, match="depends on the values"):
        week.rows(today=timezone.localdate())
    # A branch on the value: the SQL of the placeholder's branch would be everyone's.
    branch = Compiled(lambda *, user_id: User.objects.filter(pk=user_id, **({"is_active": True} if user_id % 2 else {})).values_list("pk"),
                      user_id=PLACEHOLDER_INT)
    with pytest.raises(ValueError, match="depends on the values"):
        branch.rows(user_id=cast.caseworker1.pk)
    same = Compiled(lambda *, today: FollowUp.objects.filter(due__lte=today).values_list("pk"), today=PLACEHOLDER_DATE)
    assert same.rows(today=timezone.localdate()) == []


# --- The case page's reads, compiled once (cases/selectors.py compiled_case_rows, case_get_for) ------------------

def _case_with_records(actor, title):
    from cases import services as case_services
    from tests.factories import make_case

    case = make_case(actor=actor)
    source = case_services.source_add(actor=actor, case=case, data={"kind": "family", "reliability": "confirmed", "title": title})
    event = case_services.event_add(actor=actor, case=case, data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month"},
                                    sources=[source])
    return case, event, source


def test_each_case_page_gets_its_own_records_and_an_outsider_nothing_whoever_compiled_first(cast):
    from cases.selectors import case_page_reads, events_for

    other, other_event, other_source = _case_with_records(cast.outsider, "the outsider's call")
    mine, my_event, my_source = _case_with_records(cast.caseworker1, "my call")
    # The outsider's page compiles the reads; then the caseworker's runs them with their case.
    theirs = case_page_reads(cast.outsider, case=case_get_for(cast.outsider, reference=other.reference))
    assert [e.pk for e in theirs["timeline"]] == [other_event.pk]
    page = case_page_reads(cast.caseworker1, case=case_get_for(cast.caseworker1, reference=mine.reference))
    assert [e.pk for e in page["timeline"]] == [my_event.pk]
    assert [s.pk for s in page["sources"]] == [my_source.pk] and [s.title for s in page["timeline"][0].sources.all()] == ["my call"]
    assert {c.case_id for c in page["contacts"]} == {mine.pk}
    # As the QuerySet itself gives them: related rows, prefetched rows, order.
    expected = list(events_for(cast.caseworker1, case=mine))
    assert [(e.pk, e.location_id, [s.pk for s in e.sources.all()]) for e in page["timeline"]] == \
        [(e.pk, e.location_id, [s.pk for s in e.sources.all()]) for e in expected]
    # A case instance the outsider did not resolve themself (another's): nothing, without a query.
    with pytest.raises(Exception, match="No such case"):
        case_get_for(cast.outsider, reference=mine.reference)
    assert case_page_reads(cast.outsider, case=mine) == {"timeline": [], "contacts": [], "sources": [], "consents": []}


def test_the_compiled_case_query_answers_each_user_with_their_own_permissions_and_refuses_the_others_case(cast):
    from cases.selectors import _CASE_BY_REFERENCE

    case = cast.case  # caseworker1's, shared with legal1
    for _ in range(2):
        mine = case_get_for(cast.caseworker1, reference=case.reference)
        shared = case_get_for(cast.legal1, reference=case.reference)
        assert case_perms(cast.caseworker1, mine) == case_perms(cast.caseworker1, mine, fresh=True)
        assert case_perms(cast.legal1, shared) == case_perms(cast.legal1, shared, fresh=True) != case_perms(cast.caseworker1, mine)
        for stranger in (cast.outsider, cast.caseworker2, cast.admin1):
            with pytest.raises(Exception, match="No such case"):
                case_get_for(stranger, reference=case.reference)
        # A permission the shared user does not hold on it is refused like a missing case.
        with pytest.raises(Exception, match="No such case"):
            case_get_for(cast.legal1, reference=case.reference, perm="delete_case")
    # The QuerySet kept for compiling holds placeholders only, and its query was never given the compiled SQL.
    for sql, params, slots, qs in _CASE_BY_REFERENCE._sql.values():
        assert "get_compiler" not in qs.query.__dict__
        assert cast.caseworker1.pk not in params and case.reference not in params


def test_two_placeholders_with_one_value_are_refused():
    from common.compiled import PLACEHOLDER_TEXT, Compiled

    with pytest.raises(ValueError, match="its own value"):
        Compiled(lambda *, a, b: User.objects.filter(username=a, email=b), a=PLACEHOLDER_TEXT, b=PLACEHOLDER_TEXT)
