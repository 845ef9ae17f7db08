"""The restore drill: seed, back up, wipe, restore, and find everything as it was."""

import json
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.models import Case, Event
from ops import backup
from tests.cast import make_user
from tests.factories import make_case


def _snapshot() -> dict:
    from evidence.models import EvidenceFile

    return {
        "cases": sorted(
            (c.reference, c.person.name_latin, c.person.name_cyrillic, c.status, c.notes)
            for c in Case.objects.select_related("person")
        ),
        "events": sorted((str(e.id), e.type, str(e.date), e.date_precision, e.description) for e in Event.objects.all()),
        "files": sorted((str(f.id), f.sha256, f.size) for f in EvidenceFile.objects.all()),
    }


def _assert_restored(before: dict, head: dict) -> None:
    """Everything as it was; the audit log holds the same chain up to the backup's head.

    The restore's own checks (verify_audit, verify_evidence) append their events after it.
    """
    from audit.models import AuditEvent

    assert _snapshot() == before
    assert AuditEvent.objects.get(id=head["id"]).mac == head["mac"]
    assert AuditEvent.objects.filter(id__lte=head["id"]).count() == head["count"]


def _audit_count() -> int:
    from audit.models import AuditEvent

    return AuditEvent.objects.count()


def _seed():
    from cases import services
    from evidence.services import evidence_attach

    actor = make_user("drill", password=None)
    first = make_case(actor=actor)
    second = make_case(actor=actor, name_latin="Dilshod Karimov", name_cyrillic="Дилшод Каримов", nationality="UZ")
    services.event_add(actor=actor, case=first, data={"type": "detention", "description": "Held in SIZO-1 for nine days."})
    evidence_attach(actor=actor, case=first, content=b"testimony recording " * 5000, original_name="call.ogg")
    evidence_attach(actor=actor, case=second, content=b"%PDF-1.4 contract scan", original_name="contract.pdf")


def _wipe_sqlite(empty: bytes) -> None:
    source = sqlite3.connect(":memory:")
    source.deserialize(empty)
    source.backup(connection.connection)
    source.close()


def _wipe_storage(media) -> None:
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_sqlite(tmp_path, _media_root):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite drill; the PostgreSQL one is below")
    connection.ensure_connection()
    empty = connection.connection.serialize()
    _seed()
    before = _snapshot()
    head = {**backup.installation_summary()["audit_head"], "count": _audit_count()}
    dest = tmp_path / "backups"
    call_command("backup", str(dest))

    _wipe_sqlite(empty)
    _wipe_storage(_media_root)
    assert Case.objects.count() == 0

    call_command("restore", str(dest))
    _assert_restored(before, head)
    _wipe_sqlite(empty)  # leave the test database as transactional_db expects to flush it


@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_postgresql(postgres, tmp_path, _media_root):
    _seed()
    before = _snapshot()
    head = {**backup.installation_summary()["audit_head"], "count": _audit_count()}
    dest = tmp_path / "backups"
    call_command("backup", str(dest))

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    _wipe_storage(_media_root)

    call_command("restore", str(dest))
    _assert_restored(before, head)


@pytest.mark.django_db
def test_restore_over_a_database_with_data_is_refused(tmp_path):
    make_case(actor=make_user("drill", password=None))
    (tmp_path / "b" / "backups").mkdir(parents=True)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "b"))


@pytest.mark.django_db
def test_backup_is_encrypted_incremental_and_pruned(tmp_path, _media_root):
    from evidence.services import evidence_attach

    actor = make_user("drill", password=None)
    case = make_case(actor=actor, notes="Sister says he was beaten at the recruitment point.")
    evidence_attach(actor=actor, case=case, content=b"first file " * 1000, original_name="a.txt")
    dest = tmp_path / "dest"
    first = backup.backup_create(dest=dest)
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["database"]["sha256"]
    dump = (first / "database.enc").read_bytes()
    assert b"Nysanbaev" not in dump and "Нысанбаев".encode() not in dump and b"beaten" not in dump
    blob_files = {p for p in (dest / "blobs").rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in blob_files}

    evidence_attach(actor=actor, case=case, content=b"second file " * 1000, original_name="b.txt")
    second = backup.backup_create(dest=dest)
    # The first backup's blobs were not copied again.
    assert all(p.stat().st_mtime_ns == mtimes[p] for p in blob_files)
    assert len(json.loads((second / "manifest.json").read_text())["blobs"]) > len(manifest["blobs"])

    third = backup.backup_create(dest=dest, keep=2)
    remaining = sorted(p.name for p in (dest / "backups").iterdir())
    assert remaining == sorted([second.name, third.name])
    assert backup.backup_verify(src=dest)["blobs"]


@pytest.mark.django_db
def test_a_tampered_backup_is_refused(tmp_path):
    make_case(actor=make_user("drill", password=None))
    folder = backup.backup_create(dest=tmp_path / "d")
    data = bytearray((folder / "database.enc").read_bytes())
    data[100] ^= 1
    (folder / "database.enc").write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="does not match"):
        backup.backup_verify(src=tmp_path / "d")
