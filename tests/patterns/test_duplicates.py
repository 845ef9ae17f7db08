"""Duplicate people inside Dalil, on demand and for one case, and a merge that keeps both histories."""

from audit.models import AuditEvent
from cases.models import Case, Event
from patterns.models import CaseMerge
from patterns.selectors import duplicates_for
from tests.factories import make_case


def test_duplicates_found_across_scripts_and_scoped(known, cast, login):
    dup = make_case(actor=cast.caseworker1, name_latin="", name_cyrillic="Нысанбаев Рустам", nationality="KZ")
    original = known["cw1"][0]
    pairs = duplicates_for(cast.caseworker1)
    assert [{p["a"].pk, p["b"].pk} for p in pairs] == [{original.pk, dup.pk}]
    assert [{p["a"].pk, p["b"].pk} for p in duplicates_for(cast.caseworker1, case=dup)] == [{original.pk, dup.pk}]
    assert duplicates_for(cast.caseworker2) == []  # not their cases
    page = login(cast.caseworker1).get("/patterns/duplicates/", {"case": dup.reference})
    assert page.status_code == 200 and original.reference in page.content.decode()
    assert login(cast.caseworker2).get("/patterns/duplicates/", {"case": dup.reference}).status_code == 404


def test_merge_keeps_both_histories_and_is_audited(known, cast, login):
    original = known["cw1"][0]
    dup = make_case(actor=cast.caseworker1, name_latin="Rustam Nysanbayev", name_cyrillic="", nationality="KZ")
    moved_event = Event.objects.create(case=dup, type="detention", created_by=cast.caseworker1)
    before = Event.objects.filter(case=original).count()
    client = login(cast.caseworker1)
    response = client.post("/patterns/duplicates/action", {"kept": original.reference, "other": dup.reference, "action": "merge", "confirmed": "1"})
    assert response.status_code == 302
    dup.refresh_from_db()
    original.refresh_from_db()
    assert dup.status == Case.Status.CLOSED  # kept, readable, closed
    assert Event.objects.filter(case=original).count() == before + 1
    assert Event.objects.get(pk=moved_event.pk).case_id == original.pk
    assert "Rustam Nysanbayev" in original.person.aliases
    merge = CaseMerge.objects.get()
    assert merge.kept == original and merge.merged == dup and str(moved_event.pk) in merge.moved["events"]
    audit = AuditEvent.objects.get(action="patterns.case.merged")
    assert audit.actor == cast.caseworker1 and audit.data["merged"] == dup.reference
    assert duplicates_for(cast.caseworker1) == []  # a merged case is not proposed again
    # merging needs change_case on both: cw2 gets 404
    third = make_case(actor=cast.caseworker1, name_latin="Rustam Nysanbaev", name_cyrillic="", nationality="KZ")
    assert login(cast.caseworker2).post("/patterns/duplicates/action", {"kept": original.reference, "other": third.reference, "action": "merge", "confirmed": "1"}).status_code == 404


def test_dismissed_pairs_are_not_proposed_again(known, cast, login):
    dup = make_case(actor=cast.caseworker1, name_latin="Rustam Nysanbaev", name_cyrillic="", nationality="KZ")
    client = login(cast.caseworker1)
    client.post("/patterns/duplicates/action", {"kept": known["cw1"][0].reference, "other": dup.reference, "action": "dismiss"})
    assert duplicates_for(cast.caseworker1) == []
    assert AuditEvent.objects.filter(action="patterns.duplicate.dismissed").count() == 1
