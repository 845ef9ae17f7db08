"""The cryptography of family reports.

* **Sealed to the organisation**: every report, attachment and family message is encrypted on arrival to the
  organisation's intake public key (age, X25519; pyrage). The public side holds only that public key.
* **The codename** (seven words of xkcdpass's word list, about 90 bits) is never stored. One Argon2id run over
  it gives 64 bytes: the first half, hashed once more, is the lookup value stored with the report; the second
  half is the seed of an X25519 identity whose public key is stored, and to which the organisation seals its
  replies. Only someone holding the codename can derive the identity and read them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import bech32
from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from pyrage import decrypt, encrypt, x25519
from xkcdpass import xkcd_password

WORDS = 7
# A fixed salt: the lookup must be deterministic; each codename has ~90 bits, so no table can cover them.
_SALT = b"dalil-intake-codename-v1"
ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}  # OWASP: 19 MiB, two passes
_wordlist = None


def new_codename() -> str:
    global _wordlist
    if _wordlist is None:
        words = xkcd_password.generate_wordlist(wordfile=xkcd_password.locate_wordfile(), min_length=3, max_length=9)
        # Letters only ("t-shirt" and "yo-yo" would read as two words once a family types hyphens for spaces).
        _wordlist = [w for w in words if w.isalpha()]
    return xkcd_password.generate_xkcdpassword(_wordlist, numwords=WORDS, delimiter=" ")


def normalise_codename(text: str) -> str:
    words = re.split(r"[\s\-_.,;]+", unicodedata.normalize("NFKC", text or "").casefold().strip())
    return " ".join(w for w in words if w)


def looks_like_codename(text: str) -> bool:
    return len(normalise_codename(text).split()) == WORDS


class CodenameKeys:
    """What a codename gives: the stored lookup value and the reply identity."""

    def __init__(self, codename: str):
        raw = hash_secret_raw(normalise_codename(codename).encode(), _SALT, hash_len=64, type=Type.ID, **ARGON2)
        self.lookup = hashlib.sha256(b"lookup" + raw[:32]).hexdigest()
        data = bech32.convertbits(raw[32:], 8, 5)
        self.identity = x25519.Identity.from_str(bech32.bech32_encode("age-secret-key-", data).upper())

    @property
    def reply_recipient(self) -> str:
        return str(self.identity.to_public())

    def open_reply(self, blob: bytes) -> bytes:
        return decrypt(bytes(blob), [self.identity])


def organisation_recipient() -> str:
    """The age public key reports are sealed to: the setting, or the one of the key ring's intake key."""
    if settings.DALIL_INTAKE_PUBLIC_KEY:
        return settings.DALIL_INTAKE_PUBLIC_KEY
    from keys.keyfile import age_recipient, load
    from keys.purposes import INTAKE

    return age_recipient(load(INTAKE))


def seal_for_organisation(data: bytes) -> bytes:
    return encrypt(data, [x25519.Recipient.from_str(organisation_recipient())])


def seal_for_family(recipient: str, data: bytes) -> bytes:
    return encrypt(data, [x25519.Recipient.from_str(recipient)])


def open_as_organisation(blob: bytes) -> bytes:
    """Internal side only: the intake identity comes from the key ring (purpose "intake")."""
    from keys.keyfile import load
    from keys.purposes import INTAKE

    return decrypt(bytes(blob), [x25519.Identity.from_str(load(INTAKE).material)])
