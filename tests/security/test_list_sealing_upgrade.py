"""Item 3, on upgrade: a database from before the sealing keeps nothing of its lists in plain text after `migrate`,
and the decisions made on its entries still apply (re-keyed to the keyed fingerprint)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import CASEWORKER
from tests.cast import ensure_roles, make_user
from tests.factories import make_case

BEFORE = [("patterns", "0002_grant_view_aggregates")]
CSV = "ФИО;ДР\nНысанбаев Рустам;17.05.1994\n".encode()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_fingerprint(name, day, region):
    from cases.names import normalise_name

    return hashlib.sha256("|".join((normalise_name(name), day, normalise_name(region))).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_migrate_seals_old_list_rows_and_rekeys_decisions():
    import datetime

    ensure_roles()
    user = make_user("upgrader", CASEWORKER, password=None)
    case = make_case(actor=user)
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]
    try:
        old = _migrate(BEFORE)
        SourceList, ListUpload, ListEntry = (old.get_model("patterns", m) for m in ("SourceList", "ListUpload", "ListEntry"))
        MatchDecision, MatchCandidate = old.get_model("patterns", "MatchDecision"), old.get_model("patterns", "MatchCandidate")
        source_list = SourceList.objects.create(title="Old list", created_by_id=user.pk)
        upload = ListUpload.objects.create(
            source_list=source_list, filename="old.csv", content=CSV, sha256="0" * 64, columns=["ФИО", "ДР"],
            mapping={"full_name": "ФИО", "birth_date": "ДР"}, status="done", created_by_id=user.pk,
        )
        fp = _old_fingerprint("Нысанбаев Рустам", "1994-05-17", "")
        entry = ListEntry.objects.create(
            source_list=source_list, upload=upload, line=2, full_name="Нысанбаев Рустам", name_key="nysanbaev rustam",
            birth_date=datetime.date(1994, 5, 17), fingerprint=fp,
        )
        decision = MatchDecision.objects.create(
            source_list=source_list, fingerprint=fp, person_id=case.person_id, decision="rejected", decided_by_id=user.pk,
            decided_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        )
        MatchCandidate.objects.create(entry=entry, person_id=case.person_id, score=99, why="same name", decision=decision)
    finally:
        _migrate(latest)

    from patterns.lists import fingerprint
    from patterns.models import ListEntry as NewEntry
    from patterns.models import ListUpload as NewUpload
    from patterns.models import MatchDecision as NewDecision

    upload = NewUpload.objects.get()
    assert upload.filename == "old.csv"
    assert upload.content == CSV and upload.columns == ["ФИО", "ДР"] and upload.mapping["full_name"] == "ФИО"
    assert upload.status == "failed" and "import this file again" in upload.failure
    assert not NewEntry.objects.exists()
    assert NewDecision.objects.get().fingerprint == fingerprint("Нысанбаев Рустам", datetime.date(1994, 5, 17), "") != fp
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_data, columns_json, mapping_json, filename FROM patterns_listupload")
        stored = " ".join(cursor.fetchone())
    assert "ФИО" not in stored and "Нысанбаев" not in stored and "old.csv" not in stored
