"""Cryptographic linkage keys: a person's name tokens and date of birth as a keyed, balanced Bloom filter.

The encoding of Schnell, Bachteler and Reiher (2009), as clkhash builds it, with the hardening that Christen et
al. recommend against frequency attacks:

* the loose root of every given name and surname (cases.names, the project's one normaliser) is split into bigrams with padding
  ("_n", "no", …, "v_"); each bigram sets K_NAME bits, the date of birth's year, month and day set K_DATE bits each;
* bit positions come from BLAKE2b keyed with a key derived from the coalition's shared secret (HKDF-SHA256, one
  key per field), so that nobody without the secret can encode a guess and compare;
* the filter is balanced (Schnell 2016): the BITS-bit filter followed by its complement, then permuted with a
  permutation derived from the secret, so every encoding has the same weight (BITS ones) and bit frequencies
  say less about the bigrams behind them.

Similarity is the Dice coefficient (anonlink). docs/coalition.md says what an encoding reveals and what not.
"""

from __future__ import annotations

import datetime
import hashlib
import random

import numpy as np
from bitarray import bitarray
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cases.names import normalise

BITS = 1024  # before balancing; an encoding is 2 * BITS bits
K_NAME = 20
K_DATE = 25
SCHEME = "dalil-clk-v1: bigrams of cases.names tokens, BLAKE2b positions keyed by HKDF-SHA256(secret), balanced and permuted"


class Encoder:
    def __init__(self, secret: bytes):
        if len(secret) < 16:
            raise ValueError("the shared secret must be at least 16 bytes")
        self._keys = {field: _derive(secret, field) for field in ("name", "date", "permutation", "check")}
        order = list(range(2 * BITS))
        random.Random(self._keys["permutation"]).shuffle(order)  # nosec B311 - a keyed permutation, not a secret source
        self._moved_to = np.argsort(np.array(order))  # bit i of the balanced filter lands at _moved_to[i]

    @property
    def secret_check(self) -> str:
        """A fingerprint of the secret: members see they used the same one, and learn nothing of it."""
        return hashlib.blake2b(b"dalil-coalition-check", key=self._keys["check"], digest_size=16).hexdigest()

    def _positions(self, field: str, token: str, k: int) -> list[int]:
        digest = hashlib.blake2b(token.encode("utf-8"), key=self._keys[field], digest_size=2 * k).digest()
        return [int.from_bytes(digest[2 * i:2 * i + 2], "big") % BITS for i in range(k)]

    def encode(self, names: list[str], birth_date: datetime.date | None, *, year_only: bool = False) -> bitarray:
        bits = np.zeros(BITS, dtype=bool)
        for gram in bigrams(names):
            bits[self._positions("name", gram, K_NAME)] = True
        if birth_date is not None:
            parts = [f"y{birth_date.year}"] if year_only else [f"y{birth_date.year}", f"m{birth_date.month}", f"d{birth_date.day}"]
            for part in parts:
                bits[self._positions("date", part, K_DATE)] = True
        balanced = np.zeros(2 * BITS, dtype=bool)
        balanced[self._moved_to[np.concatenate([bits, ~bits])]] = True
        out = bitarray(endian="big")
        out.frombytes(np.packbits(balanced).tobytes())
        return out


def name_roots(name: str) -> list[str]:
    """The loose roots of the given name and surname (cases.names): Karimov, Karimova and Karimzoda share one;
    a patronymic is left out (lists print it or not), unless it stands for the surname (Asylbek uulu)."""
    forms = normalise(name)
    roles = ("name", "family", "father") if forms.family_from_father else ("name", "family")
    return [p.root for p in forms.of(*roles) if p.root]


def bigrams(names: list[str]) -> set[str]:
    grams = set()
    for name in names:
        for token in name_roots(name):
            padded = f"_{token}_"
            grams.update(padded[i:i + 2] for i in range(len(padded) - 1))
    return grams


def _derive(secret: bytes, field: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dalil-coalition-v1", info=field.encode()).derive(secret)


def read_secret(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read().strip()
