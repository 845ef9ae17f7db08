"""The Merkle tree kept as stored state (AuditTreeTile, the C2SP tlog-tiles layout), so that inclusion and
consistency proofs and new roots cost a few tile reads, not a pass over the whole log.

Tile (level L, index N) holds up to 256 consecutive hashes of the nodes at height 8·L starting at node N·256;
level 0 holds the leaf hashes. A node of height h is rebuilt from at most 2^(h mod 8) hashes of one tile.
The tiles are written in the same transaction as the checkpoint they cover, from events whose chain was
verified; a proof made from them is checked against the signed root before it leaves (audit/checkpoints.py).
"""

from __future__ import annotations

from hashlib import sha256

from audit import merkle
from audit.models import AuditTreeTile

TILE = 256
HEIGHT = 8
_BATCH = 500


def stored_size() -> int:
    """How many leaves the stored tiles hold."""
    last = AuditTreeTile.objects.filter(level=0).order_by("-index", "-width").values_list("index", "width").first()
    return 0 if last is None else last[0] * TILE + last[1]


def _perfect_root(hashes: list[bytes]) -> bytes:
    """The root over a power-of-two count of node hashes."""
    while len(hashes) > 1:
        hashes = [sha256(b"\x01" + hashes[i] + hashes[i + 1]).digest() for i in range(0, len(hashes), 2)]
    return hashes[0]


class Tiles:
    """Reads tiles (each once per instance) and answers MTH over any range a proof needs."""

    def __init__(self):
        self._cache: dict[tuple[int, int], bytes] = {}

    def _tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self._cache:
            row = AuditTreeTile.objects.filter(level=level, index=index).order_by("-width").values_list("hashes", flat=True).first()
            if row is None:
                raise LookupError(f"no stored tile {level}/{index}: the tree state does not cover this size")
            self._cache[key] = bytes(row)
        return self._cache[key]

    def node(self, height: int, index: int) -> bytes:
        """The root of the perfect subtree of 2^height leaves starting at leaf index·2^height."""
        level, rest = divmod(height, HEIGHT)
        first = index << rest
        tile = self._tile(level, first // TILE)
        start = (first % TILE) * 32
        count = 1 << rest
        if len(tile) < start + 32 * count:
            raise LookupError(f"stored tile {level}/{first // TILE} is too short for node {height}/{index}")
        return _perfect_root([tile[start + 32 * i : start + 32 * (i + 1)] for i in range(count)])

    def root(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) for the ranges RFC 6962's recursion makes (lo a multiple of the split)."""
        n = hi - lo
        if n == 0:
            return merkle.EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:
            height = n.bit_length() - 1
            return self.node(height, lo >> height)
        k = 1 << ((n - 1).bit_length() - 1)
        return merkle.node_hash(self.root(lo, lo + k), self.root(lo + k, hi))

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return merkle.inclusion_path(index, size, self.root)

    def consistency(self, old_size: int, size: int) -> list[bytes]:
        return merkle.consistency_path(old_size, size, self.root)


class TileWriter:
    """Extends the stored tiles from `size` leaves, one leaf at a time, in O(levels × 256) memory."""

    def __init__(self, size: int):
        self.size = size
        self.pending: list[AuditTreeTile] = []
        self.acc: list[list[bytes]] = []
        self.index: list[int] = []
        level, count = 0, size
        while count or level == 0:
            index, width = divmod(count, TILE)
            hashes = []
            if width:
                row = AuditTreeTile.objects.filter(level=level, index=index, width=width).values_list("hashes", flat=True).first()
                if row is None:
                    raise LookupError(f"no stored tile {level}/{index}.{width} at the tree's right edge")
                raw = bytes(row)
                hashes = [raw[i : i + 32] for i in range(0, len(raw), 32)]
            self.acc.append(hashes)
            self.index.append(index)
            level, count = level + 1, count // TILE

    def append(self, leaf: bytes) -> None:
        self.size += 1
        level, value = 0, leaf
        while True:
            if level == len(self.acc):
                self.acc.append([])
                self.index.append(0)
            acc = self.acc[level]
            acc.append(value)
            if len(acc) < TILE:
                return
            self._write(level, self.index[level], acc)
            value = _perfect_root(acc)
            self.acc[level] = []
            self.index[level] += 1
            level += 1

    def _write(self, level: int, index: int, hashes: list[bytes]) -> None:
        self.pending.append(AuditTreeTile(level=level, index=index, width=len(hashes), hashes=b"".join(hashes)))
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        AuditTreeTile.objects.bulk_create(self.pending, ignore_conflicts=True)
        self.pending = []

    def finish(self) -> int:
        """Write the right edge's partial tiles; return the size now stored."""
        for level, acc in enumerate(self.acc):
            if acc:
                self._write(level, self.index[level], acc)
        self.flush()
        return self.size


leaf_of = merkle.leaf_hash  # the one definition, in audit/proofs.py

