"""repair_key_purposes on an installation made the old way: keys mixed under keys/, data wrapped under an audit key."""

import base64
import hashlib
import io
import json
import os
import secrets
import time
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import chain
from audit import keys as audit_keys
from cases.models import Person
from evidence.models import EvidenceFile
from keys import keyfile, ring, store
from keys.models import ProtectionKey
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING, BACKUP, KEK, key_context
from keys.repair import repair
from ops import backup
from referrals.services import passphrase_for_build
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
    backup_key = _backup_manifest(settings)
    files = {attach(cast, secrets.token_bytes(70_000 + n)).pk: n for n in range(3)}
    referral = _referral_with_passphrase(cast)
    contents = {pk: hashlib.sha256(plaintext(EvidenceFile.objects.get(pk=pk))).hexdigest() for pk in files}
    # Back to the embedded default: only the old files remain.
    settings.DALIL_KEK = settings.DALIL_AUDIT_KEY = settings.DALIL_AUDIT_SIGNING_KEY = ""
    ring.reset()
    store.forget_keys()
    return {"chain": chain_key, "seed": seed, "contents": contents, "cast": cast, "backup_key": backup_key, "referral": referral}


def _backup_manifest(settings):
    """A backup's manifest as ops.backup writes it, its data key wrapped by the key ring of the moment."""
    settings.DALIL_BACKUP_DIR = str(settings.DATA_DIR / "backups")
    folder = settings.DATA_DIR / "backups" / "backups" / "20250101T000000000000Z"
    folder.mkdir(parents=True)
    backup_id = "5f1b4241-0c43-412a-8527-15e28f98bb06"
    data_key, kek_id, wrapped = ring.generate_data_key(context=key_context(BACKUP, backup_id))
    manifest = {"format": backup.FORMAT, "backup_id": backup_id, "kek_id": kek_id, "wrapped_key": _b64(wrapped)}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return data_key


def _referral_with_passphrase(cast):
    """A referral whose package passphrase seed is wrapped as referral_build_request wraps it."""
    from referrals.models import Referral
    from referrals.services.passphrase import passphrase_context, passphrase_for_build

    referral = Referral.objects.create(
        case=cast.case, recipient_name="Lawyers", recipient_kind="lawyer", created_by=cast.caseworker1, build_id=uuid.uuid4()
    )
    referral.passphrase_kek_id, referral.passphrase_wrapped = ring.wrap(
        secrets.token_bytes(32), context=passphrase_context(referral, referral.build_id)
    )
    referral.save()
    return referral, passphrase_for_build(referral)


def _backup_manifest_now() -> dict:
    return json.loads(next(Path(django_settings.DATA_DIR).glob("backups/backups/*/manifest.json")).read_text())


def _backup_kek() -> str:
    return _backup_manifest_now()["kek_id"]


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
    assert _wrapped_under_audit_keys() > 0 and _backup_kek() == "audit-signing"
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
    assert _backup_kek() == DEV_KEK
    referral, passphrase = old["referral"]
    referral.refresh_from_db()
    assert referral.passphrase_kek_id == DEV_KEK and passphrase_for_build(referral) == passphrase
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
    manifest = _backup_manifest_now()
    context = key_context(BACKUP, manifest["backup_id"])
    assert ring.unwrap(manifest["kek_id"], base64.b64decode(manifest["wrapped_key"]), context=context) == old["backup_key"]
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


@pytest.mark.parametrize("old, purpose, expected_id", [
    ("ci:{b64}", KEK, "ci"),  # DALIL_KEK_FILE as .ci/run wrote it: the id before ':'
    ("{hex}", KEK, "master"),  # a bare hex key: the file name was its id
    ("{b64}", AUDIT_CHAIN, "audit-chain"),
])
def test_convert_keeps_the_id_the_old_ring_gave(settings, tmp_path, old, purpose, expected_id):
    key = secrets.token_bytes(32)
    path = tmp_path / "master.key"
    path.write_text(old.format(b64=_b64(key), hex=key.hex()) + "\n")
    out = io.StringIO()
    call_command("repair_key_purposes", "--convert", str(path), "--purpose", purpose.name, stdout=out)
    assert expected_id in out.getvalue()
    assert keyfile.read(path, purpose=purpose, where="test") == keyfile.KeyFile(purpose, expected_id, key)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    # Done is done, and a converted key is still refused as another purpose.
    call_command("repair_key_purposes", "--convert", str(path), "--purpose", purpose.name, stdout=io.StringIO())
    with pytest.raises(CommandError, match="serves one purpose"):
        call_command("repair_key_purposes", "--convert", str(path), "--purpose", "token-pepper", stdout=io.StringIO())


def test_convert_turns_an_ed25519_pem_into_its_seed(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    path = tmp_path / "signing.pem"
    path.write_bytes(private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    call_command("repair_key_purposes", "--convert", str(path), "--purpose", "audit-signing", stdout=io.StringIO())
    assert keyfile.read(path, purpose=AUDIT_SIGNING, where="test").material == private.private_bytes_raw()
