"""Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note) and inclusion proofs for single events.

A checkpoint note is::

    <origin>\\n<tree size>\\n<base64 root hash>\\n\\n— <origin> <base64(key id || Ed25519 signature)>\\n

Public functions (documented in docs/audit-log.md):

* ``checkpoint_create()`` - verify the whole log, refuse if it does not extend the last stored and the last
  published checkpoint, sign, store and (after commit) publish a new checkpoint.
* ``parse_checkpoint(note, verifier_key=None)`` - check the signature, return a ``Checkpoint``.
* ``inclusion_proof(event_id, checkpoint=None)`` / ``inclusion_proofs(event_ids, checkpoint=None)`` - proof
  objects (JSON-ready dicts) that an event is in the log at a checkpoint.
* ``verify_inclusion_proof(proof, verifier_key=None)`` - check one offline; returns the event's fields.
* ``verify_consistency(old_note, new_note, proof, verifier_key=None)`` - check that a log only grew.
"""

from __future__ import annotations

import logging
import os
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import chain, keys, merkle, proofs, tree
from audit.models import AuditCheckpoint, AuditEvent

logger = logging.getLogger(__name__)

PROOF_TYPE = "dalil-audit-inclusion-proof/1"
CHECKPOINT_LOCK_ID = 0x64616C696C2D6370  # "dalil-cp": one checkpoint signer at a time
_DASH = "\u2014 "


CheckpointError = proofs.ProofError  # a checkpoint or proof does not verify, or signing one would break history
Checkpoint = proofs.Checkpoint
_b64, _unb64 = proofs.b64, proofs.unb64


# --- signed notes ----------------------------------------------------------------------------


def sign_note(text: str) -> str:
    """Sign note text (ending in a newline) with the checkpoint key, under the origin as key name."""
    key = keys.signing_key()
    name = keys.origin()
    kid = keys.key_id(name, keys.public_key_bytes(key.public_key()))
    signature = key.sign(text.encode("utf-8"))
    return f"{text}\n{_DASH}{name} {_b64(kid + signature)}\n"


def parse_verifier_key(vkey: str):
    return proofs.parse_verifier_key(vkey)


def checkpoint_text(size: int, root: bytes, origin: str | None = None) -> str:
    return f"{origin or keys.origin()}\n{size}\n{_b64(root)}\n"


def parse_checkpoint(note: str, verifier_key: str | None = None) -> Checkpoint:
    return proofs.parse_checkpoint(note, verifier_key or keys.verifier_key())


def verify_consistency(old_note: str, new_note: str, proof: list[str], verifier_key: str | None = None) -> bool:
    old = parse_checkpoint(old_note, verifier_key)
    new = parse_checkpoint(new_note, verifier_key)
    return merkle.verify_consistency(old.size, new.size, old.root, new.root, [_unb64(p) for p in proof])


# --- creating and publishing checkpoints -------------------------------------------------------


def _checkpoint_dir() -> Path | None:
    value = settings.DALIL_AUDIT_CHECKPOINT_DIR
    return Path(value) if value else None


def published_latest() -> Checkpoint | None:
    """The latest checkpoint in the publication directory, signature checked."""
    directory = _checkpoint_dir()
    if directory is None or not (directory / "checkpoint").exists():
        return None
    return parse_checkpoint((directory / "checkpoint").read_text(encoding="utf-8"))


def stored_checkpoints() -> list[Checkpoint]:
    return [parse_checkpoint(c.note) for c in AuditCheckpoint.objects.order_by("tree_size")]


def check_against(verified: chain.Verified, checkpoint: Checkpoint, source: str) -> None:
    """Raise CheckpointError if the log is not an extension of this checkpoint (cut tail or rewritten history)."""
    if checkpoint.size > verified.count:
        raise CheckpointError(
            f"{source} covers {checkpoint.size} events but the log has only {verified.count}:"
            f" events #{verified.count} to #{checkpoint.size - 1} were cut from the end"
        )
    if verified.roots_at.get(checkpoint.size) != checkpoint.root:
        raise CheckpointError(
            f"{source} (size {checkpoint.size}) does not match the log: history among events #0 to"
            f" #{checkpoint.size - 1} was rewritten"
        )


def _lock_signer() -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK_ID])


def _known(previous: AuditCheckpoint | None) -> list[tuple[Checkpoint, str]]:
    known = [(parse_checkpoint(previous.note), "the last stored checkpoint")] if previous else []
    published = published_latest()
    if published is not None:
        known.append((published, "the last published checkpoint"))
    return known


def _sign(size: int, root: bytes, old_size: int, tiles: tree.Tiles, *, publish: bool) -> AuditCheckpoint:
    proof = tiles.consistency(old_size, size) if old_size else []
    row = AuditCheckpoint.objects.create(
        tree_size=size, root_hash=root.hex(), note=sign_note(checkpoint_text(size, root)), created_at=timezone.now(),
        previous_size=old_size or None, consistency_proof=[_b64(h) for h in proof],
    )
    if publish:
        transaction.on_commit(lambda: checkpoint_publish(row))
    return row


@transaction.atomic(durable=True)
def checkpoint_create(*, publish: bool = True) -> AuditCheckpoint | None:
    """Sign a checkpoint over the whole log. Caller: the beat task or `audit_checkpoint`. Refuses (CheckpointError,
    chain.ChainError) unless the whole log verifies and extends every checkpoint signed before. Extends the stored
    tree state (audit/tree.py) on the way, in O(1) memory."""
    _lock_signer()
    return _create(publish=publish)


def _create(*, publish: bool) -> AuditCheckpoint | None:
    previous = AuditCheckpoint.objects.order_by("-tree_size").first()
    known = _known(previous)
    start = previous.tree_size if previous and tree.stored_size() == previous.tree_size else 0
    writer = tree.TileWriter(start)

    def feed():
        for row in chain.rows():
            if row[1] >= start:
                writer.append(tree.leaf_of(row[3]))
            yield row

    stream = feed()
    try:
        verified = chain.verify(keys.audit_key(), sizes=[c.size for c, _ in known], rows_iter=stream)
    finally:
        stream.close()  # the server-side cursor closes now, inside the transaction, even when verification fails
    for checkpoint, source in known:
        check_against(verified, checkpoint, source)
    if verified.count == 0 or (previous and previous.tree_size == verified.count):
        return previous
    writer.finish()
    tiles = tree.Tiles()
    if tiles.root(0, verified.count) != verified.root:
        raise CheckpointError("the stored tree state does not match the log: it was altered in the database")
    return _sign(verified.count, verified.root, max([c.size for c, _ in known], default=0), tiles, publish=publish)


@transaction.atomic(durable=True)
def checkpoint_extend(*, publish: bool = True) -> AuditCheckpoint | None:
    """Sign a checkpoint for what was added since the last one, from the stored tree state: verifies the chain of
    the new events only (from the last checkpoint's event on) and that the stored tree still gives every known
    checkpoint's root. Caller: a referral build, which needs a checkpoint now. Falls back to a full
    checkpoint_create when there is no stored state to extend."""
    _lock_signer()
    previous = AuditCheckpoint.objects.order_by("-tree_size").first()
    if previous is None or tree.stored_size() != previous.tree_size:
        return _create(publish=publish)
    tiles = tree.Tiles()
    known = _known(previous)
    for checkpoint, source in known:
        if checkpoint.size > previous.tree_size or tiles.root(0, checkpoint.size) != checkpoint.root:
            raise CheckpointError(f"{source} (size {checkpoint.size}) does not match the stored tree: history was rewritten")
    size = previous.tree_size
    writer = tree.TileWriter(size)
    mac = AuditEvent.objects.filter(seq=size - 1).values_list("mac", flat=True).first()

    def feed():
        for row in chain.rows(start=size):
            writer.append(tree.leaf_of(row[3]))
            yield row

    stream = feed()
    try:
        verified = chain.verify(keys.audit_key(), rows_iter=stream, start=size, previous=bytes.fromhex(mac or ""))
    finally:
        stream.close()
    if verified.count == size:
        return previous
    writer.finish()
    tiles = tree.Tiles()
    return _sign(verified.count, tiles.root(0, verified.count), size, tiles, publish=publish)


def checkpoint_publish(row: AuditCheckpoint) -> None:
    """Publish where the database admin cannot rewrite: the directory, e-mail, a witness. Failures are logged."""
    directory = _checkpoint_dir()
    if directory is not None:
        try:
            (directory / "checkpoints").mkdir(parents=True, exist_ok=True)
            history = directory / "checkpoints" / str(row.tree_size)
            if not history.exists():
                with open(history, "x", encoding="utf-8") as fh:
                    fh.write(row.note)
            tmp = directory / f".checkpoint.{os.getpid()}"
            tmp.write_text(row.note, encoding="utf-8")
            os.replace(tmp, directory / "checkpoint")
            vkey = directory / "verifier-key"
            if not vkey.exists():
                vkey.write_text(keys.verifier_key() + "\n", encoding="utf-8")
        except OSError:
            logger.exception("audit checkpoint %s: could not write to %s", row.tree_size, directory)
    addresses = settings.DALIL_AUDIT_CHECKPOINT_EMAIL or []
    if isinstance(addresses, str):
        addresses = [addresses]
    if addresses:
        try:
            send_mail(
                _("Dalil audit checkpoint %(size)s") % {"size": row.tree_size},
                row.note + "\n" + _("Verifier key: %(key)s") % {"key": keys.verifier_key()} + "\n",
                None,
                list(addresses),
            )
        except Exception:
            logger.exception("audit checkpoint %s: e-mail failed", row.tree_size)
    if settings.DALIL_TSA_URL:
        from audit import timestamps

        try:
            timestamps.stamp(row)
        except timestamps.TimestampUnavailable as exc:
            logger.warning("audit checkpoint %s: no time-stamp yet (beat retries): %s", row.tree_size, exc)
    url = settings.DALIL_AUDIT_WITNESS_URL
    if url:
        from audit import witness

        witness.submit(row, url)


# --- consistency proofs ------------------------------------------------------------------------

CONSISTENCY_TYPE = "dalil-audit-consistency-proof/1"


def consistency_hashes(old_size: int, new_size: int, *, new_root: bytes | None = None) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) from the stored tree state; checked against `new_root` when given."""
    if tree.stored_size() < new_size:
        raise CheckpointError("the stored tree state does not cover this checkpoint: run `manage.py audit_checkpoint`")
    tiles = tree.Tiles()
    if new_root is not None and tiles.root(0, new_size) != new_root:
        raise CheckpointError("the log does not match the checkpoint: no proof can be made")
    return tiles.consistency(old_size, new_size)


def consistency_proof(old_size: int, new_size: int) -> dict:
    """The wire form of docs/audit-log.md: two signed checkpoints of this log and the RFC 6962 proof between them."""
    rows = {r.tree_size: r for r in AuditCheckpoint.objects.filter(tree_size__in=[old_size, new_size])}
    for size in (old_size, new_size):
        if size not in rows:
            raise CheckpointError(f"no checkpoint of {size} events was signed")
    if old_size > new_size:
        raise CheckpointError("the old checkpoint must not be larger than the new one")
    new = parse_checkpoint(rows[new_size].note)
    proof = consistency_hashes(old_size, new_size, new_root=new.root)
    return {
        "type": CONSISTENCY_TYPE, "old_size": old_size, "new_size": new_size,
        "old_checkpoint": rows[old_size].note, "new_checkpoint": rows[new_size].note,
        "proof": [_b64(h) for h in proof], "verifier_key": keys.verifier_key(),
    }


def verify_consistency_proof(doc: dict, *, verifier_key: str | None = None) -> tuple[Checkpoint, Checkpoint]:
    """Check a consistency proof offline (proofs.check_consistency_proof with our key by default)."""
    return proofs.check_consistency_proof(doc, verifier_key or keys.verifier_key())


# --- inclusion proofs --------------------------------------------------------------------------


def _resolve_checkpoint(checkpoint, needed_size: int) -> Checkpoint:
    if isinstance(checkpoint, Checkpoint):
        return checkpoint
    if isinstance(checkpoint, AuditCheckpoint):
        return parse_checkpoint(checkpoint.note)
    if isinstance(checkpoint, str):
        return parse_checkpoint(checkpoint)
    row = AuditCheckpoint.objects.filter(tree_size__gte=needed_size).order_by("-tree_size").first()
    if row is None:
        raise CheckpointError("no checkpoint covers this event yet: run `manage.py audit_checkpoint` (or call checkpoint_create)")
    return parse_checkpoint(row.note)


def inclusion_proofs(event_ids, *, checkpoint: Checkpoint | AuditCheckpoint | str | None = None) -> list[dict]:
    """One proof per event id, against `checkpoint` (a note, a row, or by default the newest stored one), made from
    the stored tree state and checked against the signed root before it is returned."""
    events = {e.pk: e for e in AuditEvent.objects.filter(pk__in=list(event_ids))}
    missing = [i for i in event_ids if int(i) not in events]
    if missing:
        raise CheckpointError(f"no audit event with id {missing[0]}")
    cp = _resolve_checkpoint(checkpoint, max((e.seq for e in events.values()), default=-1) + 1)
    if tree.stored_size() < cp.size:
        raise CheckpointError("the stored tree state does not cover this checkpoint: run `manage.py audit_checkpoint`")
    tiles, vkey, out = tree.Tiles(), keys.verifier_key(), []
    for event_id in event_ids:
        event = events[int(event_id)]
        if event.seq >= cp.size:
            raise CheckpointError(f"event {event.pk} (#{event.seq}) is newer than the checkpoint (size {cp.size})")
        content = chain.canonical_of(event)
        path = tiles.inclusion(event.seq, cp.size)
        if not merkle.verify_inclusion(event.seq, cp.size, tree.leaf_of(content), path, cp.root):
            raise CheckpointError(f"event #{event.seq} does not match the signed log (altered in the database): no proof")
        out.append({
            "type": PROOF_TYPE, "event_id": event.pk, "leaf_index": event.seq, "tree_size": cp.size,
            "event": content.decode("ascii"), "inclusion_path": [_b64(h) for h in path], "checkpoint": cp.note,
            "verifier_key": vkey,
        })
    return out


def inclusion_proof(event_id: int, *, checkpoint: Checkpoint | AuditCheckpoint | str | None = None) -> dict:
    return inclusion_proofs([event_id], checkpoint=checkpoint)[0]


def verify_inclusion_proof(proof: dict, *, verifier_key: str | None = None) -> dict:
    """Check a proof offline against the checkpoint it carries, signed by `verifier_key` (default: our own key).

    Returns the event as a dict of its canonical fields; raises CheckpointError if anything is wrong."""
    try:
        if proof.get("type") != PROOF_TYPE:
            raise CheckpointError("not a Dalil audit inclusion proof")
        cp = parse_checkpoint(proof["checkpoint"], verifier_key)
        index, size = int(proof["leaf_index"]), int(proof["tree_size"])
        event, path = proof["event"], proof["inclusion_path"]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CheckpointError("malformed inclusion proof") from None
    if size != cp.size:
        raise CheckpointError("the proof's tree size is not the checkpoint's")
    return proofs.event_in_log(event, index, path, cp)
