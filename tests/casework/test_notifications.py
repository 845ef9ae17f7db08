"""Notifications and the daily digest: ids only, worded for the reader while they may see the case, and an e-mail
that carries counts and links, never a name or a word of the case."""

import datetime
import io

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.roles import ADMIN
from audit.models import AuditEvent
from cases import access
from casework import digest, notes, notifications, reviews
from casework.models import FollowUp
from casework.models_collab import Notification, NotificationSetting
from casework.selectors import nav_counts
from casework.services import follow_up_add
from tests.cast import sign_in

pytestmark = pytest.mark.django_db

TESTIMONY = "They beat him in the basement of the Lyublino station"


def _page(user) -> str:
    client = Client()
    sign_in(client, user)
    return client.get("/notifications/").content.decode()


def test_a_notification_holds_ids_only_and_is_worded_when_shown(cast):
    note = notes.note_add(actor=cast.caseworker1, case=cast.case, text=f"{TESTIMONY} @legal1")
    row = Notification.objects.filter(kind="mention").values().get()
    stored = " ".join(str(v) for v in row.values())
    assert "Lyublino" not in stored and cast.case.person.name_latin not in stored  # nothing but ids and a kind
    assert row["object_id"] == str(note.pk)
    page = _page(cast.legal1)
    assert f"caseworker1 mentioned you in a note on {cast.case.reference}" in page
    assert "Lyublino" not in page and cast.case.person.name_latin not in page


def test_notifications_of_a_case_the_reader_lost_access_to_are_not_shown(cast):
    notes.note_add(actor=cast.caseworker1, case=cast.case, text="@legal1 look at the timeline")
    reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message=TESTIMONY)
    assert notifications.unread_count(cast.legal1) == 3  # shared with, mentioned, asked to review
    assert nav_counts(cast.legal1)[1] == 3  # the navigation bar's count, asked with the follow-ups in one query
    access.case_unshare_with_legal(actor=cast.caseworker1, case=cast.case, user=cast.legal1)
    assert notifications.unread_count(cast.legal1) == 0 and nav_counts(cast.legal1)[1] == 0
    assert notifications.shown_for(cast.legal1) == []
    page = _page(cast.legal1)
    assert cast.case.reference not in page and 'class="count"' not in page


def test_a_grant_notifies_the_person_given_access(cast):
    access.case_grant(actor=cast.admin1, case=cast.case, user=cast.caseworker2, perms=["view_case", "change_case"])
    shown = notifications.shown_for(cast.caseworker2)
    assert [s.text for s in shown] == [f"admin1 gave you access to {cast.case.reference}"]
    assert shown[0].url == f"/cases/{cast.case.reference}/"
    assert not Notification.objects.filter(recipient=cast.caseworker1, kind="case_shared").exists()  # the creator is not told


def test_sharing_with_all_legal_staff_notifies_each_of_them(cast):
    from accounts.roles import LEGAL
    from tests.accounts.cast import make_user

    legal2 = make_user("legal2", LEGAL)
    access.case_share_with_legal(actor=cast.caseworker1, case=cast.case)
    assert [s.text for s in notifications.shown_for(legal2)] == [f"caseworker1 gave you access to {cast.case.reference}"]
    assert not Notification.objects.filter(recipient=cast.caseworker1, kind="case_shared").exists()


def test_marking_read_touches_only_ones_own_notifications(cast):
    notes.note_add(actor=cast.caseworker1, case=cast.case, text="@legal1 please")
    theirs = Notification.objects.get(kind="mention")
    attacker = Client()
    sign_in(attacker, cast.outsider)
    assert attacker.post("/notifications/read", {"id": theirs.pk}).status_code == 302
    assert attacker.post("/notifications/read", {"id": "nope"}).status_code == 404
    assert attacker.post("/notifications/read").status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client = Client()
    sign_in(client, cast.legal1)
    assert '<span class="count">2</span>' in client.get("/notifications/").content.decode()
    client.post("/notifications/read", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is not None and notifications.unread_count(cast.legal1) == 1


def test_the_sweep_notices_follow_ups_due_and_overdue_once(cast):
    today = timezone.localdate()
    due = follow_up_add(actor=cast.caseworker1, case=cast.case, what=TESTIMONY, assignee=cast.caseworker1, due=today)
    late = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Ask again", assignee=cast.caseworker1, due=today - datetime.timedelta(days=1))
    follow_up_add(actor=cast.caseworker1, case=cast.case, what="Later", assignee=cast.caseworker1, due=today + datetime.timedelta(days=3))
    digest.notifications_sweep()
    digest.notifications_sweep()  # idempotent: nothing twice
    kinds = dict(Notification.objects.filter(recipient=cast.caseworker1).exclude(kind="case_shared").values_list("object_id", "kind"))
    assert kinds == {str(due.pk): "follow_up_due", str(late.pk): "follow_up_overdue"}
    page = _page(cast.caseworker1)
    assert f"A follow-up on {cast.case.reference} is due today" in page and TESTIMONY not in page


def test_the_sweep_tells_triage_staff_of_a_new_family_report_and_admins_of_a_failed_check(cast, django_capture_on_commit_callbacks):
    from PIL import Image

    from evidence.models import EvidenceFile
    from evidence.services import evidence_attach
    from intake.models import Submission
    from tests.intake.conftest import ANSWERS

    assert Client().post("/report/en/", ANSWERS).status_code == 200
    image = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(image, format="JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        file = evidence_attach(actor=cast.caseworker1, case=cast.case, content=image.getvalue(), original_name="x.jpg", source_label="sister")
    EvidenceFile.objects.filter(pk=file.pk).update(integrity_ok=False, integrity_checked_at=timezone.now())
    digest.notifications_sweep()
    submission = Submission.objects.get()
    people = [cast.caseworker1, cast.caseworker2, cast.legal1, cast.admin1, cast.outsider]
    triagers = {u for u in people if u.has_perm("intake.triage")}
    assert triagers
    notified = set(Notification.objects.filter(kind="intake_new", object_id=str(submission.pk)).values_list("recipient", flat=True))
    assert notified == {u.pk for u in triagers}
    for user in triagers:
        page = _page(user)
        assert "A new family report is waiting in the queue" in page
        assert ANSWERS["name"] not in page and ANSWERS["where_when"] not in page
    assert set(Notification.objects.filter(kind="integrity_failed").values_list("recipient", flat=True)) == {cast.admin1.pk}
    assert "An evidence file failed its integrity check" in _page(cast.admin1)
    assert "integrity" not in _page(cast.caseworker1)
    cast.admin1.groups.remove(cast.admin1.groups.get(name=ADMIN))  # a role lost: its notifications go with it
    assert not notifications.notifications_for(type(cast.admin1).objects.get(pk=cast.admin1.pk)).filter(kind="integrity_failed").exists()


def _secrets(cast) -> list[str]:
    person = cast.case.person
    return [cast.case.reference, person.name_latin, person.name_cyrillic, cast.case.contacts.get().name, TESTIMONY, "Lyublino"]


def test_the_daily_digest_carries_counts_and_links_only(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DALIL_DIGEST_HOUR = 0
    settings.DALIL_BASE_URL = "https://dalil.example.org"
    notes.note_add(actor=cast.legal1, case=cast.case, text=f"{TESTIMONY} @caseworker1")
    follow_up_add(actor=cast.caseworker1, case=cast.case, what=TESTIMONY, assignee=cast.caseworker1, due=timezone.localdate() - datetime.timedelta(days=1))
    digest.notifications_sweep()
    reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message=TESTIMONY)
    assert digest.digests_send() == 2  # caseworker1 and legal1; nobody without work waiting
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"caseworker1@example.org", "legal1@example.org"}
    for message in mail.outbox:
        text = message.subject + message.body
        leaked = [s for s in _secrets(cast) if s in text]
        assert not leaked, leaked
        assert "https://dalil.example.org/notifications/" in text and "https://dalil.example.org/my-work/" in text
    assert "1 follow-up overdue" in by_address["caseworker1@example.org"].body
    assert "1 review waiting for you" in by_address["legal1@example.org"].body
    assert digest.digests_send() == 0 and len(mail.outbox) == 2  # once a day
    assert AuditEvent.objects.filter(action="casework.digest.sent").count() == 1


def test_the_digest_can_be_turned_off_and_needs_an_address(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DALIL_DIGEST_HOUR = 0
    notes.note_add(actor=cast.legal1, case=cast.case, text="@caseworker1 hello")
    sign_in(client, cast.caseworker1)
    response = client.post("/notifications/settings", {"email": "not an address"})
    assert response.status_code == 400
    assert client.post("/notifications/settings", {"email": "cw1@example.org"}).status_code == 302  # the box unticked: off
    assert NotificationSetting.objects.get(user=cast.caseworker1).email_digest is False
    assert AuditEvent.objects.filter(action="casework.notifications.settings_changed", actor=cast.caseworker1).exists()
    cast.legal1.email = ""
    cast.legal1.save(update_fields=["email"])
    notes.note_add(actor=cast.caseworker1, case=cast.case, text="@legal1 hello")
    assert digest.digests_send() == 0 and mail.outbox == []


def test_a_follow_up_done_before_the_sweep_is_not_announced(cast):
    follow_up = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=timezone.localdate())
    FollowUp.objects.filter(pk=follow_up.pk).update(done_at=timezone.now())
    digest.notifications_sweep()
    assert not Notification.objects.filter(kind__startswith="follow_up").exists()


def test_beat_runs_the_sweep_and_the_digest_through_their_tasks(cast, settings):
    from casework.tasks import digests_send_task, notifications_sweep_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"casework.notifications_sweep", "casework.digests_send"} <= tasks
    follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=timezone.localdate())
    settings.DALIL_DIGEST_HOUR = 0
    assert notifications_sweep_task.delay().get() == 1
    assert digests_send_task.delay().get() >= 1
    mine = [m for m in mail.outbox if m.to == ["caseworker1@example.org"]]
    assert len(mine) == 1 and "1 unread notification" in mine[0].body


def test_a_follow_up_marked_done_takes_its_notification_with_it(client, cast):
    today = timezone.localdate()
    late = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Ask again", assignee=cast.caseworker1, due=today - datetime.timedelta(days=1))
    other = follow_up_add(actor=cast.caseworker1, case=cast.case, what="Call", assignee=cast.caseworker1, due=today)
    digest.notifications_sweep()
    assert f"A follow-up on {cast.case.reference} is overdue" in _page(cast.caseworker1)
    unread = notifications.unread_count(cast.caseworker1)
    sign_in(client, cast.caseworker1)
    assert client.post(f"/cases/{cast.case.reference}/follow-ups/{late.pk}/done").status_code == 302
    page = _page(cast.caseworker1)
    assert "is overdue" not in page and f"A follow-up on {cast.case.reference} is due today" in page  # the other one stays
    assert notifications.unread_count(cast.caseworker1) == unread - 1
    assert not Notification.objects.filter(object_id=str(late.pk)).exists()
    digest.notifications_sweep()  # done: the sweep does not bring it back
    assert not Notification.objects.filter(object_id=str(late.pk)).exists()
    assert Notification.objects.filter(object_id=str(other.pk), kind="follow_up_due").exists()


def test_the_digest_is_in_the_language_each_user_chose(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DALIL_DIGEST_HOUR = 0
    sign_in(client, cast.caseworker1)
    page = client.get("/notifications/settings").content.decode()
    assert 'name="language"' in page and "The site&#x27;s language (English)" in page
    bad = client.post("/notifications/settings", {"email": cast.caseworker1.email, "email_digest": "on", "language": "xx"})
    assert bad.status_code == 400 and NotificationSetting.objects.filter(user=cast.caseworker1).count() == 0
    assert client.post("/notifications/settings", {"email": cast.caseworker1.email, "email_digest": "on", "language": "ru"}).status_code == 302
    assert NotificationSetting.objects.get(user=cast.caseworker1).language == "ru"
    changed = AuditEvent.objects.filter(action="casework.notifications.settings_changed", actor=cast.caseworker1).latest("seq")
    assert changed.fields == ["language"]
    notes.note_add(actor=cast.legal1, case=cast.case, text=f"{TESTIMONY} @caseworker1")
    follow_up_add(actor=cast.caseworker1, case=cast.case, what=TESTIMONY, assignee=cast.caseworker1, due=timezone.localdate() - datetime.timedelta(days=1))
    digest.notifications_sweep()
    reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message=TESTIMONY)
    assert digest.digests_send() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    russian, english = by_address["caseworker1@example.org"], by_address["legal1@example.org"]
    assert russian.subject == "Dalil: вас ждёт работа" and "непрочитанн" in russian.body and "unread" not in russian.body
    assert english.subject == "Dalil: work waiting for you" and "1 review waiting for you" in english.body  # the site's language
    for message in mail.outbox:
        leaked = [s for s in _secrets(cast) if s in message.subject + message.body]
        assert not leaked, leaked
