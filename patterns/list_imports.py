"""Writes of published lists: register a list, upload a file, read it, import it, match it against cases.

Public services are keyword-only and run in one durable transaction with one audit event; the long steps
(reading, importing, matching) run in Celery tasks that get ids only. Nothing here writes a name anywhere
but a sealed field: the file, its header and the entries are sealed (patterns/models.py), and a match is
made only among the cases of the user it is made for (the importer, or whoever asks), so an import shows
its importer nothing of cases they may not see.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.models import Person
from cases.selectors import cases_for
from common.transactions import service
from patterns import lists
from patterns.matching import DEFAULT_MIN_SCORE, Index, Record
from patterns.models import ListEntry, ListUpload, MatchCandidate, MatchDecision, SourceList
from patterns.services import person_records

PROGRESS_EVERY = 200
Status = ListUpload.Status


@service
def source_list_create(*, actor, data: dict) -> SourceList:
    """Register a published list with its provenance. Any signed-in staff. Audit: patterns.list.created."""
    source_list = SourceList(created_by=actor, **data)
    source_list.full_clean()
    source_list.save()
    audit_record(actor=actor, action=actions.LIST_CREATED, target=source_list, fields=data.keys())
    return source_list


@service
def list_upload_create(*, actor, source_list: SourceList, filename: str, content: bytes) -> ListUpload:
    """Store an uploaded list file, sealed, and queue its reading (task). Audit: patterns.list.uploaded.

    Raises lists.ListFileError (nothing saved) for a file too large, empty, not text, or an XLSX that would
    unpack beyond the limits: checked from the zip's directory, without inflating or parsing anything.
    """
    from patterns.tasks import list_read_task

    lists.check_file(filename, content)
    upload = ListUpload(
        source_list=source_list, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(), created_by=actor,
    )
    upload.content = content
    upload.save()
    audit_record(actor=actor, action=actions.LIST_UPLOADED, target=upload, data={"list": str(source_list.pk), "bytes": len(content), "sha256": upload.sha256})
    upload_id = str(upload.pk)
    transaction.on_commit(lambda: list_read_task.delay(upload_id))
    return upload


def _progress(upload_id, **fields) -> None:
    # Outside any transaction, so that the progress bar moves while the task runs.
    ListUpload.objects.filter(pk=upload_id).update(**fields)


def _failed(upload_id, message: str) -> ListUpload:
    _progress(upload_id, status=Status.FAILED, failure=message[:300], finished_at=timezone.now())
    return ListUpload.objects.get(pk=upload_id)


def list_read(*, upload_id) -> ListUpload | None:
    """The reading task's body: the header and the number of rows, for the column mapping. None if gone."""
    upload = ListUpload.objects.filter(pk=upload_id).first()
    if upload is None or upload.status != Status.READING:
        return upload
    try:
        header, body = lists.read_rows(upload.filename, upload.content, progress=lambda rows_read: _progress(upload.pk, processed_rows=rows_read))
    except lists.ListFileError as exc:
        return _failed(upload.pk, str(exc))
    upload.columns = header
    upload.mapping = lists.guess_mapping(header)
    upload.total_rows, upload.processed_rows, upload.status = len(body), 0, Status.MAPPING
    upload.save(update_fields=["columns_json", "mapping_json", "total_rows", "processed_rows", "status"])
    return upload


@service
def list_import_start(*, actor, upload: ListUpload, mapping: dict[str, str]) -> ListUpload:
    """Fix the column mapping and queue the import task (id only). Audit: patterns.list.import_started."""
    from patterns.tasks import list_import_task

    upload = ListUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status not in (Status.MAPPING, Status.FAILED) or not upload.columns:
        raise ValueError(_("This file is already being imported."))
    clean = {fld: col for fld, col in mapping.items() if fld in lists.FIELDS and col in upload.columns}
    if "full_name" not in clean:
        raise ValueError(_("Choose the column that holds the full name."))
    upload.mapping = clean
    upload.status = Status.QUEUED
    upload.processed_rows = upload.good_rows = 0
    upload.errors = []
    upload.failure = ""
    upload.save(update_fields=["mapping_json", "status", "processed_rows", "good_rows", "errors", "failure"])
    audit_record(actor=actor, action=actions.LIST_IMPORT_STARTED, target=upload, fields=sorted(clean))
    upload_id = str(upload.pk)
    transaction.on_commit(lambda: list_import_task.delay(upload_id))
    return upload


def list_import(*, upload_id) -> ListUpload | None:
    """The import task's body: check every row, keep the good ones, report the bad ones, then match the list
    among the importer's cases. Idempotent: a re-run replaces the list's entries with this file's. None if gone.
    """
    upload = ListUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        return None
    if upload.status == Status.DONE:
        return upload
    _progress(upload.pk, status=Status.RUNNING)
    try:
        return _list_import_run(upload)
    except Exception:
        # The page must not show "importing" for ever; the task's own log keeps the traceback.
        _failed(upload.pk, _("The import stopped on an internal error; try again."))
        raise


def _list_import_run(upload: ListUpload) -> ListUpload:
    try:
        header, body = lists.read_rows(upload.filename, upload.content)
    except lists.ListFileError as exc:
        return _failed(upload.pk, str(exc))
    good, errors = [], []
    key = lists.fingerprint_key()
    mapping = upload.mapping
    for row_number, (line, cells) in enumerate(body, start=1):
        try:
            good.append(lists.check_row(line, cells, header, mapping, key=key))
        except ValueError as exc:
            errors.append({"line": line, "reason": str(exc)})
        if row_number % PROGRESS_EVERY == 0:
            _progress(upload.pk, processed_rows=row_number, total_rows=len(body))
    _list_entries_replace(upload_id=upload.pk, good=good, errors=errors, total=len(body))
    _progress(upload.pk, status=Status.MATCHING)
    list_match(source_list_id=upload.source_list_id, user_id=upload.created_by_id)
    _progress(upload.pk, status=Status.DONE, finished_at=timezone.now())
    return ListUpload.objects.get(pk=upload.pk)


@service
def _list_entries_replace(*, upload_id, good: list, errors: list, total: int) -> None:
    upload = ListUpload.objects.select_for_update().select_related("source_list").get(pk=upload_id)
    ListEntry.objects.filter(source_list=upload.source_list).delete()
    # bulk_create seals each entry's protected fields (pre_save) with the entry's own id.
    ListEntry.objects.bulk_create(
        [ListEntry(source_list=upload.source_list, upload=upload, line=row.line, **row.values) for row in good], batch_size=1000
    )
    upload.processed_rows = total
    upload.total_rows = total
    upload.good_rows = len(good)
    upload.errors = errors
    upload.save(update_fields=["processed_rows", "total_rows", "good_rows", "errors"])
    audit_record(
        actor=None, system="patterns.list_import", action=actions.LIST_IMPORTED, target=upload,
        data={"list": str(upload.source_list_id), "good": len(good), "bad": len(errors)},
    )


def entry_record(entry: ListEntry) -> Record:
    return Record(entry.pk, [entry.full_name], birth_date=entry.birth_date, region=entry.region)


@service
def list_match_start(*, actor, source_list: SourceList) -> None:
    """Queue a match of the list among this user's cases (id only). Caller may use lists. Audit: patterns.list.match_requested."""
    from patterns.tasks import list_match_task

    audit_record(actor=actor, action=actions.LIST_MATCH_REQUESTED, target=source_list)
    list_id, user_id = str(source_list.pk), actor.pk
    transaction.on_commit(lambda: list_match_task.delay(list_id, user_id))


@service
def list_match(*, source_list_id, user_id, min_score: int = DEFAULT_MIN_SCORE) -> int:
    """Match every entry of a list against the people of the cases this user may see; decisions made before are kept.

    Candidates in other cases (made for other users) stay as they are. Audit: patterns.list.matched (system).
    """
    from django.contrib.auth import get_user_model

    source_list = SourceList.objects.filter(pk=source_list_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if source_list is None:
        return 0
    people = Person.objects.filter(case__in=cases_for(user)) if user is not None else Person.objects.none()
    people = list(people.only("pk", "name_latin", "name_cyrillic", "aliases", "birth_date", "birth_date_precision", "home_region"))
    entries = list(ListEntry.objects.filter(source_list=source_list))
    MatchCandidate.objects.filter(entry__source_list=source_list, person__in=[p.pk for p in people]).delete()
    index = Index(person_records(people))
    decisions = {(d.fingerprint, d.person_id): d for d in MatchDecision.objects.filter(source_list=source_list)}
    created = []
    for entry in entries:
        found, _compared = index.match(entry_record(entry), min_score=min_score)
        for match in found[:10]:
            created.append(
                MatchCandidate(entry=entry, person_id=match.b, score=match.score, why=match.why[:500], decision=decisions.get((entry.fingerprint, match.b)))
            )
    MatchCandidate.objects.bulk_create(created, batch_size=1000)
    audit_record(
        actor=None, system="patterns.list_match", action=actions.LIST_MATCHED, target=source_list,
        data={"user": user_id, "entries": len(entries), "candidates": len(created)},
    )
    return len(created)
