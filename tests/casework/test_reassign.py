"""A grant revoked flags the person's open follow-ups on the case; the admin who revoked it sees how many and
reassigns them to someone who can see the case, without reading what they say."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import access
from casework import digest, services
from casework.models import FollowUp
from casework.models_collab import Notification
from tests.cast import sign_in

pytestmark = pytest.mark.django_db

WHAT = "Call Rustam's sister about the contract"


def test_the_admin_who_revokes_sees_the_flagged_count_and_reassigns_them(client, cast, django_capture_on_commit_callbacks):
    ref = cast.case.reference
    access.case_assign(actor=cast.admin1, user=cast.caseworker2, cases=[cast.case])
    follow_up = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what=WHAT, assignee=cast.caseworker2, due=timezone.localdate())
    digest.notifications_sweep()
    assert Notification.objects.filter(recipient=cast.caseworker2, object_id=str(follow_up.pk)).exists()
    sign_in(client, cast.admin1)
    assert 'id="flagged-follow-ups"' not in client.get(f"/manage/cases/{ref}/access/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the flag is set once the revocation is committed
        response = client.post(f"/manage/cases/{ref}/access/change/", {"action": "unassign", "user": cast.caseworker2.pk, "confirmed": "1"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.flagged
    page = client.get(response["Location"]).content.decode()
    assert 'id="flagged-follow-ups"' in page and "1 open follow-up of this case belongs to someone who lost access" in page
    assert f'href="/manage/cases/{ref}/follow-ups/"' in page
    listing = client.get(f"/manage/cases/{ref}/follow-ups/").content.decode()
    assert "Was caseworker2" in listing and WHAT not in listing and "Rustam" not in listing  # the admin has no grant on it
    url = f"/manage/cases/{ref}/follow-ups/{follow_up.pk}/reassign"
    refused = client.post(url, {f"{follow_up.pk}-assignee": cast.outsider.pk})  # cannot see the case: not offered
    assert refused.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.assignee == cast.caseworker2 and follow_up.flagged
    assert client.post(url, {f"{follow_up.pk}-assignee": cast.caseworker1.pk}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.assignee == cast.caseworker1 and not follow_up.flagged
    assert not Notification.objects.filter(recipient=cast.caseworker2, object_id=str(follow_up.pk)).exists()
    event = AuditEvent.objects.get(action="followup.reassigned", target_id=str(follow_up.pk))
    assert event.actor == cast.admin1 and event.data == {"user": "caseworker1", "from": "caseworker2"}
    assert 'id="flagged-follow-ups"' not in client.get(f"/manage/cases/{ref}/access/").content.decode()
    assert client.post(url, {f"{follow_up.pk}-assignee": cast.caseworker1.pk}).status_code == 404  # no longer flagged


def test_only_access_managers_reassign(client, cast):
    ref = cast.case.reference
    follow_up = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what=WHAT, assignee=cast.caseworker1,
                                       due=timezone.localdate() + datetime.timedelta(days=2))
    FollowUp.objects.filter(pk=follow_up.pk).update(flagged=True)
    for user in (cast.caseworker1, cast.caseworker2, cast.legal1, cast.outsider):
        sign_in(client, user)
        assert client.get(f"/manage/cases/{ref}/follow-ups/").status_code == 403
        assert client.post(f"/manage/cases/{ref}/follow-ups/{follow_up.pk}/reassign", {f"{follow_up.pk}-assignee": user.pk}).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.assignee == cast.caseworker1 and follow_up.flagged
    sign_in(client, cast.admin1)
    assert client.get("/manage/cases/NO-SUCH/follow-ups/").status_code == 404
    with pytest.raises(services.FollowUpError):
        services.follow_up_reassign(actor=cast.admin1, follow_up=follow_up, assignee=cast.outsider)


def test_someone_of_the_team_takes_over_a_flagged_follow_up_from_my_work(client, cast, django_capture_on_commit_callbacks):
    ref = cast.case.reference
    access.case_assign(actor=cast.admin1, user=cast.caseworker2, cases=[cast.case])
    follow_up = services.follow_up_add(actor=cast.caseworker1, case=cast.case, what=WHAT, assignee=cast.caseworker2, due=timezone.localdate())
    url = f"/cases/{ref}/follow-ups/{follow_up.pk}/take"
    sign_in(client, cast.caseworker1)
    assert client.post(url).status_code == 404  # not flagged: nothing to take over
    with django_capture_on_commit_callbacks(execute=True):
        access.case_unassign(actor=cast.admin1, user=cast.caseworker2, cases=[cast.case])
    assert "Take it over" in client.get("/my-work/").content.decode()
    for other in (cast.caseworker2, cast.legal1, cast.outsider):  # lost access, reads only, never had it
        sign_in(client, other)
        assert client.post(url).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.assignee == cast.caseworker2 and follow_up.flagged
    sign_in(client, cast.caseworker1)
    assert client.post(url).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.assignee == cast.caseworker1 and not follow_up.flagged
    assert AuditEvent.objects.get(action="followup.reassigned", target_id=str(follow_up.pk)).actor == cast.caseworker1
