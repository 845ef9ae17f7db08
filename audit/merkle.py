"""RFC 6962 / RFC 9162 Merkle tree hashes and proofs, over leaf hashes held in a list.

leaf hash = SHA-256(0x00 || data); node hash = SHA-256(0x01 || left || right). Proof generation
follows RFC 6962 section 2.1 (PATH, PROOF/SUBPROOF); verification follows RFC 9162 sections
2.1.3.2 and 2.1.4.2. All hashes are 32-byte `bytes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from hashlib import sha256

# The hashes and the verifiers live in audit/proofs.py (the one copy, also shipped in referral packages).
from audit.proofs import EMPTY_ROOT, leaf_hash, node_hash, verify_consistency, verify_inclusion  # noqa: E402,F401


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


def inclusion_path(index: int, size: int, root_of: Callable[[int, int], bytes]) -> list[bytes]:
    """PATH(index, D[0:size]) with root_of(lo, hi) = MTH(D[lo:hi]) (a leaf list, or stored tiles: audit/tree.py)."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return path(m, lo, lo + k) + [root_of(lo + k, hi)]
        return path(m - k, lo + k, hi) + [root_of(lo, lo + k)]

    return path(index, 0, size)


def consistency_path(old_size: int, size: int, root_of: Callable[[int, int], bytes]) -> list[bytes]:
    """PROOF(old_size, D[0:size]): shows that the tree of old_size leaves is a prefix of this one."""
    if not 0 <= old_size <= size:
        raise ValueError("old size larger than the tree")
    if old_size in (0, size):
        return []

    def subproof(m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [root_of(lo, hi)]
        k = _split(n)
        if m <= k:
            return subproof(m, lo, lo + k, whole) + [root_of(lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [root_of(lo, lo + k)]

    return subproof(old_size, 0, size, True)


def inclusion_proof(index: int, leaves: Sequence[bytes], size: int | None = None) -> list[bytes]:
    """PATH(index, D[0:size]) over a list of leaf hashes."""
    size = len(leaves) if size is None else size
    if size > len(leaves):
        raise ValueError("leaf index outside the tree")
    return inclusion_path(index, size, lambda lo, hi: root(leaves, lo, hi))


def consistency_proof(old_size: int, leaves: Sequence[bytes], size: int | None = None) -> list[bytes]:
    """PROOF(old_size, D[0:size]) over a list of leaf hashes."""
    size = len(leaves) if size is None else size
    if size > len(leaves):
        raise ValueError("old size larger than the tree")
    return consistency_path(old_size, size, lambda lo, hi: root(leaves, lo, hi))
