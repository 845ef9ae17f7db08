"""SHA-256 computed on a second core beside the cipher (keys/stream.py encrypts and decrypts while it hashes)."""

from __future__ import annotations

import hashlib


class OverlappedSHA256:
    """SHA-256 of a plaintext, computed on a pool thread while the caller encrypts or decrypts the next piece.

    hashlib releases the GIL over large buffers, so hashing beside AES-GCM uses the second core instead of
    running after it. Pieces are gathered into batches of about 1 MiB (a hand-over per 64 KiB segment would
    cost more than it saves); updates stay in order, at most one batch is in flight, and only immutable bytes
    are handed over, so the caller may reuse its buffers.
    """

    BATCH = 1 << 20
    # Lent buffers (decryption) are hashed in place, with no copy: larger ones halve the hand-overs, and each
    # hand-over may wait out the GIL's switch interval (bench/evidence.py: decrypt 0.65 -> 0.86 of the bare work).
    LENT_BATCH = 2 << 20

    def __init__(self):
        self._hash = hashlib.sha256()
        self._pending = None
        self._batch: list[bytes] = []
        self._batched = 0

    def update(self, chunk) -> None:
        data = chunk if isinstance(chunk, bytes) else bytes(chunk)
        self._batch.append(data)
        self._batched += len(data)
        if self._batched >= self.BATCH:
            self._hand_over()

    def update_lent(self, buffer) -> None:
        """Hash a buffer without copying it. The caller may write to it again once its next update_lent() returns
        (that call waits for this hash), so two buffers used in turn are always safe."""
        self._hand_over()
        self._wait()
        self._pending = _hash_pool().submit(self._hash.update, buffer)

    def _hand_over(self) -> None:
        batch, self._batch, self._batched = self._batch, [], 0
        # One buffer, one update call: the pool thread takes the GIL once per batch, not once per segment
        # (each take may wait out the switch interval while the caller's thread is busy decrypting).
        data = batch[0] if len(batch) == 1 else b"".join(batch)
        self._wait()
        if data:
            self._pending = _hash_pool().submit(self._hash.update, data)

    def _wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def hexdigest(self) -> str:
        return self.digest().hex()

    def digest(self) -> bytes:
        self._hand_over()
        self._wait()
        return self._hash.digest()


_POOL = None


def _hash_pool():
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dalil-sha256")
    return _POOL
