"""Key escrow: split a key file into Shamir shares for trusted people, and join them again.

Shamir's secret sharing comes from PyCryptodome (Cryptodome.Protocol.SecretSharing),
which shares 16-byte secrets; a key file is shared block by block with the same
share indexes. A share is one line of text, short enough to print and type back:

    dalil-share-v1:<index>:<threshold>:<fingerprint>:<hex of the share blocks>

The fingerprint (first 8 hex digits of SHA-256 of the secret) lets `escrow_combine`
say whether the shares given belong together and rebuild the right key.
"""

import hashlib

from Cryptodome.Protocol.SecretSharing import Shamir
from django.utils.translation import gettext as _

PREFIX = "dalil-share-v1"
BLOCK = 16


class EscrowError(ValueError):
    pass


def _fingerprint(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()[:8]


def split(secret: bytes, *, shares: int, threshold: int) -> list[str]:
    if not 2 <= threshold <= shares <= 255:
        raise EscrowError(_("need 2 ≤ threshold ≤ shares ≤ 255"))
    if not secret:
        raise EscrowError(_("the key file is empty"))
    # Length-prefix the secret so that padding to whole blocks is reversible.
    padded = len(secret).to_bytes(2, "big") + secret
    padded += b"\0" * (-len(padded) % BLOCK)
    per_share: dict[int, list[bytes]] = {i: [] for i in range(1, shares + 1)}
    for start in range(0, len(padded), BLOCK):
        for index, piece in Shamir.split(threshold, shares, padded[start : start + BLOCK], ssss=False):
            per_share[index].append(piece)
    fp = _fingerprint(secret)
    return [f"{PREFIX}:{i}:{threshold}:{fp}:{b''.join(parts).hex()}" for i, parts in per_share.items()]


def combine(lines: list[str]) -> bytes:
    parsed = []
    for line in lines:
        parts = line.strip().split(":")
        if len(parts) != 5 or parts[0] != PREFIX:
            raise EscrowError(_("not a Dalil key share: %(share)s…") % {"share": line.strip()[:30]})
        try:
            parsed.append((int(parts[1]), int(parts[2]), parts[3], bytes.fromhex(parts[4])))
        except ValueError:
            raise EscrowError(_("a share is damaged: %(share)s…") % {"share": line.strip()[:30]}) from None
    if not parsed:
        raise EscrowError(_("no shares given"))
    threshold, fp = parsed[0][1], parsed[0][2]
    if any(p[1] != threshold or p[2] != fp for p in parsed):
        raise EscrowError(_("these shares come from different keys"))
    unique = {p[0]: p[3] for p in parsed}
    if len(unique) < threshold:
        raise EscrowError(_("%(given)s share(s) given; this key needs %(threshold)s") % {"given": len(unique), "threshold": threshold})
    length = {len(v) for v in unique.values()}
    if len(length) != 1 or length.pop() % BLOCK:
        raise EscrowError(_("the shares have different lengths: one is damaged"))
    chosen = list(unique.items())[:threshold]
    blocks = []
    for start in range(0, len(chosen[0][1]), BLOCK):
        blocks.append(Shamir.combine([(i, data[start : start + BLOCK]) for i, data in chosen], ssss=False))
    padded = b"".join(blocks)
    secret = padded[2 : 2 + int.from_bytes(padded[:2], "big")]
    if _fingerprint(secret) != fp:
        raise EscrowError(_("the shares do not rebuild the key (one is wrong or damaged)"))
    return secret
