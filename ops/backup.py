"""Encrypted, consistent, incremental backups, and restore into an empty installation.

Layout of a backup folder DEST (docs/operations.md):

    DEST/blobs/<storage name>              evidence blobs, copied as stored (already encrypted)
    DEST/backups/<UTC timestamp>/database.enc
    DEST/backups/<UTC timestamp>/manifest.json

The database dump is taken first (pg_dump's snapshot on PostgreSQL, SQLite's
serialisation otherwise) and encrypted as it streams, under a fresh data key wrapped
by the key ring; plaintext never reaches the disk. Blobs are copied afterwards: they
are immutable once written, so every blob the dump refers to is already there. A blob
already present in DEST is not copied again.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.translation import gettext as _

from keys import purposes, ring
from keys import stream

FORMAT = "dalil-backup-v1"
CHUNK = 1 << 20


def _context(backup_id) -> bytes:
    return purposes.key_context(purposes.BACKUP, backup_id)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one plain sentence."""


# --- database dumps ---------------------------------------------------------


def _pg_env() -> tuple[list[str], dict]:
    db_settings = connection.settings_dict
    env = {**os.environ}
    args = ["--host", db_settings.get("HOST") or "127.0.0.1", "--port", str(db_settings.get("PORT") or 5432), "--username", db_settings.get("USER") or "postgres"]
    if db_settings.get("PASSWORD"):
        env["PGPASSWORD"] = db_settings["PASSWORD"]
    return args, env


def _dump_chunks() -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args, connection.settings_dict["NAME"]]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except FileNotFoundError:
            raise BackupError(_("pg_dump is not installed (Debian package postgresql-client).")) from None
        while chunk := proc.stdout.read(CHUNK):
            yield chunk
        if proc.wait() != 0:
            raise BackupError(
                _("pg_dump failed: %(error)s") % {"error": proc.stderr.read().decode(errors="replace").strip().splitlines()[-1:]}
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        data = connection.connection.serialize()
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]
    else:
        raise BackupError(_("backups of %(vendor)s databases are not supported") % {"vendor": connection.vendor})


def _restore_database(chunks: Iterable[bytes], vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            _("this backup is of a %(vendor)s database; this installation uses %(ours)s") % {"vendor": vendor, "ours": connection.vendor}
        )
    if vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", *args,
               "--dbname", connection.settings_dict["NAME"]]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except FileNotFoundError:
            raise BackupError(_("pg_restore is not installed (Debian package postgresql-client).")) from None
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
        finally:
            proc.stdin.close()
        if proc.wait() != 0:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": proc.stderr.read().decode(errors="replace").strip()[-300:]})
    else:
        data = b"".join(chunks)
        source = sqlite3.connect(":memory:")
        try:
            source.deserialize(data)
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()


# --- blobs ------------------------------------------------------------------


def _storage_names(prefix: str = "") -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        if not name.endswith(".part"):  # an upload still being written; it is not evidence yet
            yield f"{prefix}{name}"
    for folder in dirs:
        yield from _storage_names(f"{prefix}{folder}/")


def _copy_blob(name: str, target: Path) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as src, open(tmp, "wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    os.replace(tmp, target)
    return digest.hexdigest(), size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _known_blob_hashes(dest: Path) -> dict[str, dict]:
    known: dict[str, dict] = {}
    for manifest in sorted((dest / "backups").glob("*/manifest.json")):
        for blob in json.loads(manifest.read_text())["blobs"]:
            known[blob["name"]] = blob
    return known


# --- state of the installation -------------------------------------------------


def installation_summary() -> dict:
    """What a restore must reproduce: row counts and the audit chain head."""
    from django.apps import apps

    counts = {}
    for label in ("accounts.User", "cases.Case", "cases.Person", "cases.Event", "cases.Contact", "cases.Source", "audit.AuditEvent"):
        try:
            counts[label] = apps.get_model(label).objects.count()
        except LookupError:
            continue
    try:
        from evidence.models import EvidenceFile  # noqa: PLC0415

        counts["evidence.EvidenceFile"] = EvidenceFile.objects.count()
    except Exception:
        pass
    from audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    head = {"id": last}
    mac = getattr(AuditEvent, "mac", None)
    if last and mac is not None:
        head["mac"] = AuditEvent.objects.filter(id=last).values_list("mac", flat=True).first()
        if isinstance(head["mac"], (bytes, memoryview)):
            head["mac"] = bytes(head["mac"]).hex()
    return {"counts": counts, "audit_head": head}


def database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    from django.apps import apps

    for label in ("accounts.User", "cases.Case", "audit.AuditEvent"):
        model = apps.get_model(label)
        if model._meta.db_table in tables and model.objects.exists():
            return False
    return True


# --- backup -----------------------------------------------------------------


@contextlib.contextmanager
def _exclusive(dest: Path):
    """One backup at a time per destination (beat and a manual run may overlap)."""
    (dest / "backups").mkdir(parents=True, exist_ok=True)
    with open(dest / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Any .partial folder now is the remains of a backup whose process died mid-way.
        for stale in (dest / "backups").glob(".*.partial"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def backup_create(*, dest: str | os.PathLike, keep: int | None = None, now: datetime.datetime | None = None) -> Path:
    """Write one backup into dest and apply the retention policy. Returns the new backup's folder."""
    dest = Path(dest)
    with _exclusive(dest):
        return _backup_create(dest, keep, now)


def _backup_create(dest: Path, keep: int | None, now: datetime.datetime | None) -> Path:
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    final = dest / "backups" / stamp
    work = dest / "backups" / f".{stamp}.partial"
    work.mkdir(parents=True, exist_ok=False)
    try:
        # The dump is sealed in the evidence format (docs/evidence-format.md) under its own
        # data key; the backup's id stands where a file's id would.
        backup_id = uuid.uuid4()
        data_key, kek_id, wrapped = ring.generate_data_key(context=_context(backup_id))
        summary = installation_summary()
        digest, size = hashlib.sha256(), 0
        with open(work / "database.enc", "wb") as out:
            for piece in stream.encrypt_chunks(_dump_chunks(), data_key, backup_id):
                digest.update(piece)
                size += len(piece)
                out.write(piece)
        known = _known_blob_hashes(dest)
        blobs = []
        for name in sorted(_storage_names()):
            target = dest / "blobs" / name
            if target.exists() and name in known and known[name]["size"] == target.stat().st_size:
                blobs.append(known[name])
                continue
            sha, blob_size = _copy_blob(name, target)
            blobs.append({"name": name, "sha256": sha, "size": blob_size})
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "vendor": connection.vendor,
            "backup_id": str(backup_id),
            "kek_id": kek_id,
            "wrapped_key": base64.b64encode(wrapped).decode(),
            "database": {"file": "database.enc", "sha256": digest.hexdigest(), "size": size},
            "blobs": blobs,
            **summary,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(work, final)  # a backup folder is complete or absent
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        prune(dest=dest, keep=keep)
    return final


def prune(*, dest: Path, keep: int) -> list[str]:
    """Keep the newest `keep` backups and the blobs they refer to."""
    backups = sorted(p for p in (dest / "backups").iterdir() if p.is_dir() and not p.name.startswith("."))
    removed = []
    for old in backups[: max(len(backups) - keep, 0)]:
        shutil.rmtree(old)
        removed.append(old.name)
    wanted = set(_known_blob_hashes(dest))
    blob_root = dest / "blobs"
    if blob_root.exists():
        for path in blob_root.rglob("*"):
            if path.is_file() and path.relative_to(blob_root).as_posix() not in wanted:
                path.unlink()
    return removed


def backups_rewrap(*, progress) -> int:
    """The rotate_keys re-wrapper of the backups in DALIL_BACKUP_DIR: each manifest's data key moves to the newest KEK.

    Registered in OpsConfig.ready. A manifest is replaced whole (written aside, then renamed), so a stop leaves
    each backup under one KEK or the other; a rerun skips those already done. Backups kept elsewhere are
    re-wrapped by restoring them, or by pointing DALIL_BACKUP_DIR at them for one run.
    """
    from django.conf import settings

    root = Path(settings.DALIL_BACKUP_DIR) / "backups" if settings.DALIL_BACKUP_DIR else None
    manifests = sorted(root.glob("*/manifest.json")) if root and root.is_dir() else []
    newest = ring.current_kek_id()
    done = 0
    for path in manifests:
        manifest = json.loads(path.read_text())
        if manifest.get("format") != FORMAT or manifest["kek_id"] == newest:
            continue
        manifest["kek_id"], wrapped = ring.rewrap(
            manifest["kek_id"], base64.b64decode(manifest["wrapped_key"]), context=_context(manifest["backup_id"])
        )
        manifest["wrapped_key"] = base64.b64encode(wrapped).decode()
        partial = path.with_name(".manifest.json.partial")
        partial.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(partial, path)
        done += 1
        progress(done, len(manifests), "backups")
    return done


def latest_backup(src: str | os.PathLike) -> Path:
    src = Path(src)
    if (src / "manifest.json").exists():
        return src
    candidates = sorted(p for p in (src / "backups").glob("*") if p.is_dir() and not p.name.startswith("."))
    if not candidates:
        raise BackupError(_("no backup found in %(path)s") % {"path": src})
    return candidates[-1]


def _blob_root(folder: Path) -> Path:
    return folder.parent.parent / "blobs"


def backup_verify(*, src: str | os.PathLike) -> dict:
    """Check a backup's files against its manifest without restoring it."""
    folder = latest_backup(src)
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not a Dalil backup") % {"path": folder})
    if _file_sha256(folder / "database.enc") != manifest["database"]["sha256"]:
        raise BackupError(_("the database dump does not match its manifest hash"))
    for blob in manifest["blobs"]:
        path = _blob_root(folder) / blob["name"]
        if not path.exists():
            raise BackupError(_("blob %(name)s is missing from the backup") % {"name": blob["name"]})
        if _file_sha256(path) != blob["sha256"]:
            raise BackupError(_("blob %(name)s does not match its manifest hash") % {"name": blob["name"]})
    return manifest


def restore(*, src: str | os.PathLike) -> dict:
    """Restore a backup into an empty installation. Refuses a non-empty database."""
    if not database_is_empty():
        raise BackupError(_("the database is not empty: restore only into an empty installation"))
    folder = latest_backup(src)
    manifest = backup_verify(src=folder)
    backup_id = uuid.UUID(manifest["backup_id"])
    try:
        data_key = ring.unwrap(manifest["kek_id"], base64.b64decode(manifest["wrapped_key"]), context=_context(backup_id))
    except ring.KeyUnavailable as exc:
        raise BackupError(_("the key that protects this backup is not available: %(error)s") % {"error": exc}) from None
    with open(folder / "database.enc", "rb") as fh:
        try:
            _restore_database(stream.decrypt_stream(fh.read, data_key, backup_id), manifest["vendor"])
        except stream.EvidenceFormatError as exc:
            raise BackupError(_("the database dump does not decrypt: %(error)s") % {"error": exc}) from None
    for blob in manifest["blobs"]:
        if default_storage.exists(blob["name"]):
            continue
        with open(_blob_root(folder) / blob["name"], "rb") as fh:
            saved = default_storage.save(blob["name"], File(fh))
        if saved != blob["name"]:
            raise BackupError(_("blob %(name)s could not be restored under its own name") % {"name": blob["name"]})
    return manifest
