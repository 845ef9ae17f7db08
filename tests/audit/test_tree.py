"""The stored tree state (tiles): the same roots and proofs as the tree rebuilt from every leaf, at any size,
extended in steps across tile boundaries; and checkpoints extended from it refuse altered state."""

import random
from hashlib import sha256

import pytest

from audit import chain, checkpoints, keys, merkle, tree
from audit.models import AuditCheckpoint, AuditEvent, AuditTreeTile
from tests.audit.conftest import add_events, as_database_admin


def _leaves(n):
    return [sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(n)]


@pytest.mark.django_db
def test_tiles_give_the_roots_and_proofs_of_the_whole_tree():
    leaves = _leaves(70_000)  # three levels of tiles: 256, 65,536
    rng = random.Random(7)
    size = 0
    for step in (1, 254, 1, 1, 743, 64_536, 1, 3_463):
        writer = tree.TileWriter(size)
        for leaf in leaves[size : size + step]:
            writer.append(leaf)
        size = writer.finish()
        assert size == tree.stored_size()
        tiles = tree.Tiles()
        assert tiles.root(0, size) == merkle.root(leaves, 0, size)
        for index in {0, size - 1, rng.randrange(size)}:
            assert tiles.inclusion(index, size) == merkle.inclusion_proof(index, leaves, size)
        for old in {1, size // 2, rng.randrange(1, size + 1)}:
            assert tiles.consistency(old, size) == merkle.consistency_proof(old, leaves, size)


def test_a_build_checkpoint_extends_the_stored_state(user):
    add_events(user, 300)
    first = checkpoints.checkpoint_create()
    add_events(user, 20)
    second = checkpoints.checkpoint_extend()
    assert (second.previous_size, second.tree_size) == (300, 320)
    full = chain.verify(keys.audit_key(), sizes=[320])
    assert second.root_hash == full.root.hex()
    assert checkpoints.verify_consistency(first.note, second.note, second.consistency_proof)
    assert checkpoints.checkpoint_extend() == second  # nothing new
    proof = checkpoints.inclusion_proof(AuditEvent.objects.get(seq=299).pk)
    assert checkpoints.verify_inclusion_proof(proof)["seq"] == 299


def test_altered_tiles_or_events_give_no_checkpoint_and_no_proof(user):
    events = add_events(user, 10)
    checkpoints.checkpoint_create()
    add_events(user, 2)
    with as_database_admin():
        tile = AuditTreeTile.objects.filter(level=0).order_by("-width").first()
        AuditTreeTile.objects.filter(pk=tile.pk).update(hashes=bytes(32) + bytes(tile.hashes)[32:])
    with pytest.raises(checkpoints.CheckpointError, match="does not match the stored tree"):
        checkpoints.checkpoint_extend()
    assert AuditCheckpoint.objects.count() == 1
    with pytest.raises(checkpoints.CheckpointError, match="altered"):
        checkpoints.inclusion_proof(events[1].pk)  # its path holds the altered leaf 0
    assert checkpoints.verify_inclusion_proof(checkpoints.inclusion_proof(events[0].pk))  # its own leaf is not read


def test_an_old_event_edited_gets_no_proof_and_a_new_one_no_checkpoint(user):
    events = add_events(user, 5)
    checkpoints.checkpoint_create()
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[2].pk).update(action="case.forged")
    with pytest.raises(checkpoints.CheckpointError, match="altered"):
        checkpoints.inclusion_proof(events[2].pk)
    late = add_events(user, 2)
    with as_database_admin():
        AuditEvent.objects.filter(pk=late[1].pk).update(action="case.forged")
    with pytest.raises(chain.ChainError):
        checkpoints.checkpoint_extend()
