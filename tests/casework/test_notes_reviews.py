"""Notes and peer reviews: sealed, mentioned and asked only within the case's team, audited, and never reachable by
someone who cannot see the case."""

import pytest
from django.db import connection

from audit.models import AuditEvent
from casework import notes, reviews
from casework.models_collab import Note, Notification, Review
from tests.cast import sign_in

pytestmark = pytest.mark.django_db

SECRET = "Rustam was beaten at the Lyublino station"


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names in a test
        return [str(row[0]) for row in cursor.fetchall()]


def test_a_note_is_sealed_mentions_a_colleague_and_is_audited(client, cast):
    sign_in(client, cast.caseworker1)
    response = client.post(f"/cases/{cast.case.reference}/notes/", {"text": f"{SECRET}. @legal1, please look."})
    assert response.status_code == 302
    note = Note.objects.get()
    assert not any("Lyublino" in v for v in _raw("casework_note", "text"))  # sealed like every description
    assert list(note.mentions.all()) == [cast.legal1]
    notification = Notification.objects.get(kind="mention")
    assert (notification.recipient, notification.kind, notification.case, notification.object_id) == (cast.legal1, "mention", cast.case, str(note.pk))
    assert AuditEvent.objects.filter(action="casework.note.added", target_id=str(note.pk), actor=cast.caseworker1).exists()
    page = client.get(f"/cases/{cast.case.reference}/notes/").content.decode()
    assert SECRET in page and "On this case: @legal1" in page  # whom a mention can reach
    assert AuditEvent.objects.filter(action="casework.notes.viewed", actor=cast.caseworker1).exists()


def test_a_mention_of_someone_without_access_is_refused_and_the_text_kept(client, cast):
    sign_in(client, cast.caseworker1)
    response = client.post(f"/cases/{cast.case.reference}/notes/", {"text": f"{SECRET} @caseworker2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "@caseworker2 cannot see this case" in page and SECRET in page  # typed work never thrown away
    assert not Note.objects.exists() and not Notification.objects.filter(kind="mention").exists()


def test_an_at_word_that_is_no_username_is_plain_text(cast):
    note = notes.note_add(actor=cast.caseworker1, case=cast.case, text="His Telegram is @rustam_k94.")
    assert not note.mentions.exists() and not Notification.objects.filter(kind="mention").exists()


def test_the_outsider_can_neither_read_nor_write_notes(client, cast):
    notes.note_add(actor=cast.caseworker1, case=cast.case, text=SECRET)
    sign_in(client, cast.outsider)
    assert client.get(f"/cases/{cast.case.reference}/notes/").status_code == 404
    assert client.post(f"/cases/{cast.case.reference}/notes/", {"text": "mine"}).status_code == 404
    assert Note.objects.count() == 1
    assert list(notes.notes_for(cast.outsider, case=cast.case)) == []
    with pytest.raises(notes.NoteError):
        notes.note_add(actor=cast.outsider, case=cast.case, text="forced")


def test_a_review_is_asked_answered_and_shown_on_the_case_and_in_my_work(client, cast):
    sign_in(client, cast.caseworker1)
    response = client.post(f"/cases/{cast.case.reference}/reviews/", {"reviewer": cast.legal1.pk, "message": SECRET})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.state == "pending" and not any("Lyublino" in v for v in _raw("casework_review", "message"))
    assert "waiting for review" in client.get(f"/cases/{cast.case.reference}/").content.decode()
    assert AuditEvent.objects.filter(action="casework.review.requested", target_id=str(review.pk)).exists()

    legal = client.__class__()
    sign_in(legal, cast.legal1)
    assert cast.case.reference in legal.get("/my-work/").content.decode()
    assert Notification.objects.filter(recipient=cast.legal1, kind="review_requested").exists()
    response = legal.post(f"/cases/{cast.case.reference}/reviews/{review.pk}/answer", {"decision": "return", "comments": ""})
    assert response.status_code == 400  # returning needs comments; nothing changed
    review.refresh_from_db()
    assert review.state == "pending"
    response = legal.post(f"/cases/{cast.case.reference}/reviews/{review.pk}/answer", {"decision": "approve", "comments": "Sound."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == "approved" and review.comments == "Sound."
    assert Notification.objects.filter(recipient=cast.caseworker1, kind="review_approved", object_id=str(review.pk)).exists()
    assert AuditEvent.objects.filter(action="casework.review.answered", target_id=str(review.pk), actor=cast.legal1).exists()
    assert "approved" in client.get(f"/cases/{cast.case.reference}/").content.decode()


def test_a_review_goes_only_to_someone_else_on_the_team(cast):
    for reviewer in (cast.caseworker2, cast.caseworker1, cast.admin1, cast.outsider):
        with pytest.raises(reviews.ReviewError):
            reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=reviewer, message="x")
    assert not Review.objects.exists()


def test_only_the_reviewer_answers_and_others_get_404(client, cast):
    review = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message=SECRET)
    url = f"/cases/{cast.case.reference}/reviews/{review.pk}/answer"
    for user in (cast.caseworker1, cast.outsider, cast.caseworker2):
        sign_in(client, user)
        assert client.post(url, {"decision": "approve"}).status_code == 404
        if user != cast.caseworker1:
            response = client.get(f"/cases/{cast.case.reference}/reviews/")
            assert response.status_code == 404 and SECRET not in response.content.decode()
    with pytest.raises(reviews.ReviewError):
        reviews.review_answer(actor=cast.caseworker1, review=review, approve=True)
    review.refresh_from_db()
    assert review.state == "pending"


def test_legal_reads_reviews_but_cannot_send_a_case_for_review(client, cast):
    sign_in(client, cast.legal1)
    assert client.get(f"/cases/{cast.case.reference}/reviews/").status_code == 200
    assert client.post(f"/cases/{cast.case.reference}/reviews/", {"reviewer": cast.caseworker1.pk}).status_code == 404
    assert not Review.objects.exists()


def test_a_waiting_review_says_when_the_reviewer_lost_access(client, cast):
    from cases import access

    reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1, message="x")
    access.case_unshare_with_legal(actor=cast.caseworker1, case=cast.case, user=cast.legal1)
    sign_in(client, cast.caseworker1)
    assert "the reviewer no longer has access" in client.get(f"/cases/{cast.case.reference}/reviews/").content.decode()


def test_the_case_pages_review_badge_is_the_newest_review_and_an_outsider_sees_none(cast):
    import datetime

    from cases.selectors import case_get_for

    first = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1)
    reviews.review_answer(actor=cast.legal1, review=first, approve=True)
    Review.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(days=1))
    second = reviews.review_request(actor=cast.caseworker1, case=cast.case, reviewer=cast.legal1)
    case = case_get_for(cast.caseworker1, reference=cast.case.reference)
    badge = reviews.latest_review_for(cast.caseworker1, case=case)
    assert (badge.pk, badge.state, badge.reviewer) == (second.pk, Review.State.PENDING, cast.legal1)
    assert reviews.latest_review_for(cast.outsider, case=cast.case) is None
