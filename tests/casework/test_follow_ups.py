"""Follow-ups and "My work": what is due, for whom, never showing a case to someone who cannot see it."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import access
from casework import services
from casework.models import FollowUp
from tests.cast import sign_in

pytestmark = pytest.mark.django_db


def test_add_from_the_case_page_and_see_it_in_my_work_with_the_count(client, cast):
    sign_in(client, cast.caseworker1)
    today = timezone.localdate()
    response = client.post(f"/cases/{cast.case.reference}/follow-ups/", {
        "what": "Call the sister back", "assignee": cast.caseworker1.pk, "due": (today - datetime.timedelta(days=1)).isoformat(),
    })
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT what FROM casework_followup")
        stored = cursor.fetchone()[0]
    assert "sister" not in str(stored)  # sealed like every description
    page = client.get("/my-work/").content.decode()
    assert "Call the sister back" in page and cast.case.reference in page
    assert '<span class="count">1</span>' in page
    assert AuditEvent.objects.filter(action="followup.added", target_id=str(follow_up.pk)).exists()


def test_a_follow_up_goes_only_to_someone_with_access_and_is_never_shown_to_others(client, cast):
    with pytest.raises(services.FollowUpError):
        services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="x", assignee=cast.caseworker2, due=timezone.localdate())
    services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Ask about the contract", assignee=cast.caseworker1, due=timezone.localdate())
    sign_in(client, cast.caseworker2)
    assert "Ask about the contract" not in client.get("/my-work/").content.decode()
    assert client.get(f"/cases/{cast.case.reference}/follow-ups/").status_code == 404


def test_recurring_follow_up_comes_back_and_losing_access_flags_it(cast, django_capture_on_commit_callbacks):
    access.case_grant(actor=cast.admin1, case=cast.case, user=cast.caseworker2, perms=["view_case", "change_case"])
    today = timezone.localdate()
    follow_up = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Contact the family", assignee=cast.caseworker2, due=today, every_days=14)
    nxt = services.follow_up_done(actor=cast.caseworker2, follow_up=follow_up)
    assert nxt.due == today + datetime.timedelta(days=14) and nxt.every_days == 14
    with django_capture_on_commit_callbacks(execute=True):
        access.case_revoke(actor=cast.admin1, case=cast.case, user=cast.caseworker2)
    nxt.refresh_from_db()
    assert nxt.flagged


def test_done_needs_change_rights(client, cast):
    follow_up = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what="Check the lawyer", assignee=cast.caseworker1, due=timezone.localdate())
    sign_in(client, cast.legal1)
    assert client.post(f"/cases/{cast.case.reference}/follow-ups/{follow_up.pk}/done").status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_my_work_shows_the_oldest_fifty_of_each_list_and_counts_the_rest(client, cast):
    from casework.selectors import LIST_LIMIT, my_work

    today = timezone.localdate()
    FollowUp.objects.bulk_create([
        FollowUp(case=cast.case, what=f"Call {n}", assignee=cast.caseworker1, created_by=cast.caseworker1, due=today - datetime.timedelta(days=n + 1))
        for n in range(LIST_LIMIT + 5)
    ] + [FollowUp(case=cast.case, what="Ask again", assignee=cast.caseworker1, created_by=cast.caseworker1, due=today + datetime.timedelta(days=2))])
    work = my_work(cast.caseworker1)
    assert len(work["overdue"]) == LIST_LIMIT and work["overdue_total"] == LIST_LIMIT + 5
    assert work["overdue"][0].due == today - datetime.timedelta(days=LIST_LIMIT + 5)  # the oldest first
    assert [f.what for f in work["due_this_week"]] == ["Ask again"] and work["due_this_week_total"] == 1
    assert my_work(cast.outsider)["overdue"] == []
    sign_in(client, cast.caseworker1)
    assert f"of {LIST_LIMIT + 5} are shown" in client.get("/my-work/").content.decode()
