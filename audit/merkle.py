"""RFC 6962 / RFC 9162 Merkle tree hashes and proofs, over leaf hashes held in a list.

leaf hash = SHA-256(0x00 || data); node hash = SHA-256(0x01 || left || right). Proof generation
follows RFC 6962 section 2.1 (PATH, PROOF/SUBPROOF); verification follows RFC 9162 sections
2.1.3.2 and 2.1.4.2. All hashes are 32-byte `bytes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """The root of a growing tree from the leaves seen so far, in O(log n) memory (the tree's right edge)."""

    __slots__ = ("size", "_stack")

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        stack = self._stack
        stack.append(leaf)
        self.size += 1
        n = self.size
        # Each trailing zero bit of the new size is a pair of equal-height subtrees to merge.
        while not n & 1:
            right = stack.pop()
            stack[-1] = sha256(b"\x01" + stack[-1] + right).digest()
            n >>= 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        acc = self._stack[-1]
        for h in reversed(self._stack[:-1]):
            acc = sha256(b"\x01" + h + acc).digest()
        return acc


def root(leaves: Sequence[bytes], lo: int = 0, hi: int | None = None) -> bytes:
    """MTH(D[lo:hi]) over leaf hashes."""
    hi = len(leaves) if hi is None else hi
    n = hi - lo
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[lo]
    k = _split(n)
    return node_hash(root(leaves, lo, lo + k), root(leaves, lo + k, hi))


def inclusion_proof(index: int, leaves: Sequence[bytes], size: int | None = None) -> list[bytes]:
    """PATH(index, D[0:size]): the audit path of one leaf."""
    size = len(leaves) if size is None else size
    if not 0 <= index < size <= len(leaves):
        raise ValueError("leaf index outside the tree")

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return path(m, lo, lo + k) + [root(leaves, lo + k, hi)]
        return path(m - k, lo + k, hi) + [root(leaves, lo, lo + k)]

    return path(index, 0, size)


def consistency_proof(old_size: int, leaves: Sequence[bytes], size: int | None = None) -> list[bytes]:
    """PROOF(old_size, D[0:size]): shows that the tree of old_size leaves is a prefix of this one."""
    size = len(leaves) if size is None else size
    if not 0 <= old_size <= size <= len(leaves):
        raise ValueError("old size larger than the tree")
    if old_size in (0, size):
        return []

    def subproof(m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [root(leaves, lo, hi)]
        k = _split(n)
        if m <= k:
            return subproof(m, lo, lo + k, whole) + [root(leaves, lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [root(leaves, lo, lo + k)]

    return subproof(old_size, 0, size, True)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `leaf` sit at `index` of the tree of `size` leaves whose root is `expected_root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(old_size: int, size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of the tree (size, new_root)?"""
    if old_size > size or old_size < 0:
        return False
    if old_size == size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is itself a node on the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
