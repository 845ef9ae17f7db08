"""repair_key_purposes on an installation made the old way: keys mixed under keys/, data wrapped under an audit key."""

import base64
import hashlib
import io
import os
import secrets
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from audit import chain
from audit import keys as audit_keys
from cases.models import Person
from evidence.models import EvidenceFile
from keys import keyfile, ring, store
from keys.models import ProtectionKey
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING, KEK
from keys.repair import repair
from tests.evidence.helpers import attach, plaintext

DEV_KEK = "dev-kek-20250101000000-a1b2c3"


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def _old_install(settings, request):
    """What main's code wrote before purposes: bare keys straight under keys/, the audit keys newest.

    The old ring took every file there as a KEK and wrapped with the newest by age, here the signing seed:
    we give the ring exactly those keys, under those ids, as the old code did, and store data through it.
    """
    root = settings.DATA_DIR / "keys"
    root.mkdir()
    kek, chain_key, seed = (secrets.token_bytes(32) for _ in range(3))
    now = time.time()
    for age, (name, key) in enumerate(((f"{DEV_KEK}.key", kek), ("audit-chain.key", chain_key), ("audit-signing.key", seed))):
        (root / name).write_text(_b64(key) + "\n")
        os.utime(root / name, (now - 300 + age, now - 300 + age))
    settings.DALIL_KEK = ",".join(keyfile.key_line(KEK, i, k) for i, k in ((DEV_KEK, kek), ("audit-signing", seed)))
    settings.DALIL_AUDIT_KEY = keyfile.key_line(AUDIT_CHAIN, "audit-chain", chain_key)
    settings.DALIL_AUDIT_SIGNING_KEY = keyfile.key_line(AUDIT_SIGNING, "audit-signing", seed)
    ring.reset()
    cast = request.getfixturevalue("cast")  # the cast, its cases and audit events, made under the old keys
    files = {attach(cast, secrets.token_bytes(70_000 + n)).pk: n for n in range(3)}
    contents = {pk: hashlib.sha256(plaintext(EvidenceFile.objects.get(pk=pk))).hexdigest() for pk in files}
    # Back to the embedded default: only the old files remain.
    settings.DALIL_KEK = settings.DALIL_AUDIT_KEY = settings.DALIL_AUDIT_SIGNING_KEY = ""
    ring.reset()
    store.forget_keys()
    return {"chain": chain_key, "seed": seed, "contents": contents, "cast": cast}


def _wrapped_under_audit_keys() -> int:
    wrong = {"audit-chain", "audit-signing"}
    return ProtectionKey.objects.filter(kek_id__in=wrong).count() + EvidenceFile.objects.filter(kek_id__in=wrong).count()


def test_the_old_layout_is_refused_until_repaired(settings, request, db):
    _old_install(settings, request)
    settings.TESTING = False
    for call in (ring.current_kek_id, audit_keys.audit_key):
        with pytest.raises(ImproperlyConfigured, match="repair_key_purposes"):
            call()


def test_repair_rewraps_resumes_after_a_crash_and_reads_everything_back(settings, request, db):
    old = _old_install(settings, request)
    assert _wrapped_under_audit_keys() > 0
    root = settings.DATA_DIR / "keys"

    def crash(done, total, label):
        raise KeyboardInterrupt  # a power cut after the first re-wrapped key

    with pytest.raises(KeyboardInterrupt):
        repair(progress=crash)
    assert (root / "audit-signing.key").exists()  # nothing removed before everything is re-wrapped
    out = io.StringIO()
    call_command("repair_key_purposes", stdout=out)
    assert "every key now serves one purpose" in out.getvalue()

    assert not keyfile.legacy_files() and _wrapped_under_audit_keys() == 0
    assert set(ProtectionKey.objects.values_list("kek_id", flat=True)) == {DEV_KEK}
    assert set(EvidenceFile.objects.values_list("kek_id", flat=True)) == {DEV_KEK}
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.key")) == [
        "audit-chain/audit-chain.key", "audit-signing/audit-signing.key", f"kek/{DEV_KEK}.key",
    ]
    # Everything reads back with the key files alone, each loaded for its own purpose.
    ring.reset()
    store.forget_keys()
    assert ring.current_kek_id() == DEV_KEK and ring.known_kek_ids() == [DEV_KEK]
    for pk, digest in old["contents"].items():
        assert hashlib.sha256(plaintext(EvidenceFile.objects.get(pk=pk))).hexdigest() == digest
    assert Person.objects.get(pk=old["cast"].case.person_id).name_latin
    assert audit_keys.audit_key() == old["chain"]
    assert audit_keys.signing_key().private_bytes_raw() == old["seed"]
    chain.verify(audit_keys.audit_key())  # the log's chain is intact under the moved chain key
    # Done means done: a rerun changes nothing.
    assert sum(repair()["rewrapped"].values()) == 0


def test_repair_refuses_a_second_chain_key(settings, request, db):
    _old_install(settings, request)
    other = keyfile.dev_folder(AUDIT_CHAIN)
    other.mkdir(parents=True)
    keyfile.write(other / "new.key", keyfile.generate(AUDIT_CHAIN, key_id="new"))
    with pytest.raises(ImproperlyConfigured, match="another audit chain key"):
        repair()
    assert (settings.DATA_DIR / "keys" / "audit-chain.key").exists()
