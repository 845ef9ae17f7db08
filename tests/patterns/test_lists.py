"""Published lists: import with column mapping, error reporting, matching, confirm/reject, re-import."""

import io
import re

import pytest
from openpyxl import Workbook

from audit.models import AuditEvent
from cases.models import Event, Source
from patterns.models import ListEntry, ListUpload, MatchCandidate, SourceList
from tests.db_faults import inserts_refused

CSV = (
    "ФИО;Дата рождения;Регион;Часть;Дата контракта\n"
    "Нысанбаев Рустам;17.05.1994;Almaty;в/ч 12345;01.03.2025\n"  # line 2: cw1's Rustam Nysanbaev
    ";01.01.1990;;;\n"  # line 3: no name
    "Хасанов Джамшед;31.02.1990;;;\n"  # line 4: impossible date
    "Петров Иван;1980-01-01;;;\n"  # line 5: nobody in Dalil
    "Khasanov Jamshed;;;;2099-01-01\n"  # line 6: contract date in the future
    "Jamshed Khasanov;;Sughd;;\n"  # line 7: cw2's Jamshed Khasanov
)


def _register(client, title="Contract soldiers, list 1"):
    response = client.post("/patterns/lists/", {"title": title, "publisher": "An investigative project", "url": "https://example.org/list1"})
    assert response.status_code == 302
    return SourceList.objects.get(title=title)


_ON_COMMIT = {}


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    # The import task is queued on commit; in these tests it runs eagerly once the view's transaction commits.
    _ON_COMMIT["capture"] = django_capture_on_commit_callbacks
    yield
    _ON_COMMIT.clear()


def _post_file(client, source_list, content: bytes, name="list.csv"):
    # The file is read by a task queued on commit (it runs eagerly here).
    with _ON_COMMIT["capture"](execute=True):
        return client.post(f"/patterns/lists/{source_list.pk}/", {"file": _file(content, name)})


def _upload(client, source_list, content: bytes, name="list.csv", mapping=None):
    response = _post_file(client, source_list, content, name)
    assert response.status_code == 302, response.content[:500]
    upload = ListUpload.objects.filter(source_list=source_list).latest("created_at")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Which column holds what?" in page.content.decode()
    mapping = mapping or {"full_name": "ФИО", "birth_date": "Дата рождения", "region": "Регион", "unit": "Часть", "contract_date": "Дата контракта"}
    with _ON_COMMIT["capture"](execute=True):
        response = client.post(response["Location"], mapping)
    assert response.status_code == 302
    upload.refresh_from_db()
    return upload


def _file(content, name):
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture
def people(known):
    return known


def test_import_reports_bad_rows_with_line_numbers_and_keeps_good_ones(people, cast, login):
    client = login(cast.caseworker1)
    source_list = _register(client)
    upload = _upload(client, source_list, CSV.encode())
    assert upload.status == ListUpload.Status.DONE
    assert upload.good_rows == 3 and upload.total_rows == 6
    assert [e["line"] for e in upload.errors] == [3, 4, 6]
    reasons = {e["line"]: e["reason"] for e in upload.errors}
    assert "name" in reasons[3] and "not a date" in reasons[4] and "future" in reasons[6]
    assert sorted(ListEntry.objects.filter(source_list=source_list).values_list("line", flat=True)) == [2, 5, 7]
    page = client.get(f"/patterns/lists/{source_list.pk}/uploads/{upload.pk}/").content.decode()
    assert re.search(r"<td>4</td><td>[^<]*not a date", page)
    progress = client.get(f"/patterns/lists/{source_list.pk}/uploads/{upload.pk}/progress").json()
    assert progress["status"] == "done" and progress["percent"] == 100 and progress["bad"] == 3
    assert AuditEvent.objects.filter(action="patterns.list.imported", target_id=str(upload.pk)).exists()


def test_unreadable_file_is_a_400_and_nothing_saved(people, cast, login):
    client = login(cast.caseworker1)
    source_list = _register(client)
    response = client.post(f"/patterns/lists/{source_list.pk}/", {"file": _file(b"\x00\x01\x02PK", "list.xlsx")})
    assert response.status_code == 400
    assert not ListUpload.objects.exists()


def test_a_second_submit_of_one_upload_form_makes_one_import(people, cast, login):
    from tests.cases.test_once import token_of

    client = login(cast.caseworker1)
    source_list = _register(client)
    url = f"/patterns/lists/{source_list.pk}/"
    token = token_of(client.get(url))
    with _ON_COMMIT["capture"](execute=True):
        first = client.post(url, {"file": _file(CSV.encode(), "list.csv"), "form_token": token})
        again = client.post(url, {"file": _file(CSV.encode(), "list.csv"), "form_token": token})
    upload = ListUpload.objects.get()
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert f"/uploads/{upload.pk}/" in again["Location"]
    assert AuditEvent.objects.filter(action="patterns.list.uploaded").count() == 1
    # Another file from a fresh form is another import.
    with _ON_COMMIT["capture"](execute=True):
        other = client.post(url, {"file": _file(CSV.encode() + b"Other Person;;;;\n", "list.csv"), "form_token": token_of(client.get(url))})
    assert other.status_code == 302 and ListUpload.objects.count() == 2


def test_mapping_must_name_the_name_column(people, cast, login):
    client = login(cast.caseworker1)
    source_list = _register(client)
    response = _post_file(client, source_list, CSV.encode(), "l.csv")
    upload = ListUpload.objects.get()
    response = client.post(response["Location"], {"full_name": "", "birth_date": "Дата рождения"})
    assert response.status_code == 400
    upload.refresh_from_db()
    assert upload.status == ListUpload.Status.MAPPING and not ListEntry.objects.exists()


def test_xlsx_import(people, cast, login):
    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "DOB"])
    sheet.append(["Nysanbayev Rustam", "1994-05-17"])
    sheet.append([None, "1994-05-17"])
    out = io.BytesIO()
    book.save(out)
    client = login(cast.caseworker1)
    source_list = _register(client)
    upload = _upload(client, source_list, out.getvalue(), name="list.xlsx", mapping={"full_name": "Full name", "birth_date": "DOB"})
    assert upload.good_rows == 1 and upload.errors == [{"line": 3, "reason": "the full name is empty"}]


def test_candidates_are_scoped_and_confirm_adds_source_and_event(people, cast, nobody, login):
    client = login(cast.caseworker1)
    source_list = _register(client)
    _upload(client, source_list, CSV.encode())
    rustam = people["cw1"][0]
    jamshed = people["cw2"][0]
    assert MatchCandidate.objects.filter(person=rustam.person).exists()
    # The import matched only among its importer's cases: cw2's Jamshed is not a candidate yet.
    assert not MatchCandidate.objects.filter(person=jamshed.person).exists()

    page = client.get(f"/patterns/lists/{source_list.pk}/")
    shown = page.context["candidates"]
    assert {c.person_id for c in shown} == {rustam.person_id}  # cw2's person is not cw1's to see
    assert jamshed.reference not in page.content.decode()
    candidate = shown[0]
    assert candidate.score >= 80 and "same date of birth" in candidate.why

    # cw2 cannot confirm cw1's candidate, and an outsider cannot open the list at all
    other = login(cast.caseworker2)
    assert other.post(f"/patterns/lists/{source_list.pk}/candidates/{candidate.pk}/confirm").status_code == 404
    # cw2 matches the list against their own cases: Jamshed appears, for cw2 only.
    with _ON_COMMIT["capture"](execute=True):
        assert other.post(f"/patterns/lists/{source_list.pk}/match").status_code == 302
    assert {c.person_id for c in other.get(f"/patterns/lists/{source_list.pk}/").context["candidates"]} == {jamshed.person_id}
    assert MatchCandidate.objects.filter(person=rustam.person).exists()  # cw1's candidates stay
    assert login(nobody).get(f"/patterns/lists/{source_list.pk}/").status_code == 404

    client = login(cast.caseworker1)
    response = client.post(f"/patterns/lists/{source_list.pk}/candidates/{candidate.pk}/confirm")
    assert response.status_code == 302
    source = Source.objects.get(case=rustam, kind="official_list")
    assert source.url == "https://example.org/list1" and "Line 2" in source.description
    event = Event.objects.get(case=rustam, type="contract", sources=source)
    assert event.unit == "в/ч 12345" and str(event.date) == "2025-03-01" and "contract soldier" in event.description
    assert AuditEvent.objects.filter(action="patterns.match.confirmed", case_ref=rustam.reference).count() == 1


def test_decisions_are_remembered_on_reimport(people, cast, login):
    client = login(cast.caseworker1)
    source_list = _register(client)
    _upload(client, source_list, CSV.encode())
    rustam = people["cw1"][0]
    candidate = MatchCandidate.objects.get(person=rustam.person)
    client.post(f"/patterns/lists/{source_list.pk}/candidates/{candidate.pk}/reject")
    assert AuditEvent.objects.filter(action="patterns.match.rejected").count() == 1

    # A new version of the list: the same entry on another line, plus a new one.
    _upload(client, source_list, (CSV + "Asanbekov Mirlan;;;;\n").encode())
    again = MatchCandidate.objects.get(person=rustam.person)
    assert again.pk != candidate.pk and again.status == "rejected"
    assert MatchCandidate.objects.filter(person=people["cw1"][3].person, decision__isnull=True).exists()
    assert not Source.objects.filter(case=rustam, kind="official_list").exists()


def test_a_confirmation_whose_decision_fails_saves_nothing_and_can_be_retried(people, cast, login):
    """One user action: the source and the event of a confirmed match commit with its decision or not at all."""
    from django.db import DatabaseError

    from patterns.models import MatchDecision
    from patterns.services import match_confirm

    source_list = _register(login(cast.caseworker1))
    _upload(login(cast.caseworker1), source_list, CSV.encode())
    rustam = people["cw1"][0]
    candidate = MatchCandidate.objects.get(person=rustam.person)
    audit_before = AuditEvent.objects.count()
    sources_before, events_before = rustam.sources.count(), rustam.events.count()
    with inserts_refused(MatchDecision), pytest.raises(DatabaseError):  # the last step fails in the database itself
        match_confirm(actor=cast.caseworker1, candidate=candidate)
    assert (rustam.sources.count(), rustam.events.count()) == (sources_before, events_before)
    assert AuditEvent.objects.count() == audit_before and not MatchDecision.objects.exists()

    match_confirm(actor=cast.caseworker1, candidate=candidate)  # the retry adds one source and one event
    assert (rustam.sources.count(), rustam.events.count()) == (sources_before + 1, events_before + 1)
    match_confirm(actor=cast.caseworker1, candidate=candidate)  # confirmed before: nothing added again
    assert (rustam.sources.count(), rustam.events.count()) == (sources_before + 1, events_before + 1)


@pytest.mark.celery_worker
def test_import_on_a_real_worker(celery_worker, people, cast):
    import time

    from patterns import list_imports as services

    source_list = services.source_list_create(actor=cast.caseworker1, data={"title": "Worker list"})
    upload = services.list_upload_create(actor=cast.caseworker1, source_list=source_list, filename="l.csv", content=CSV.encode())
    deadline = time.time() + 60
    while upload.status == ListUpload.Status.READING and time.time() < deadline:
        time.sleep(0.5)
        upload.refresh_from_db()
    services.list_import_start(actor=cast.caseworker1, upload=upload, mapping={"full_name": "ФИО", "birth_date": "Дата рождения"})
    deadline = time.time() + 60
    while time.time() < deadline:
        upload.refresh_from_db()
        if upload.status in (ListUpload.Status.DONE, ListUpload.Status.FAILED):
            break
        time.sleep(0.5)
    assert upload.status == ListUpload.Status.DONE and upload.good_rows == 4
