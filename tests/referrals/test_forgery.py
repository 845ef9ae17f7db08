"""Forged packages, as someone who holds a package but not the signing key would make them.

Each forgery must fail both the package's own verifier (verify.py, run from a folder outside the repository
with nothing of Dalil on the path) and `manage.py verify_referral`."""

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import pyzipper
from django.core.management import CommandError, call_command

from audit import proofs
from referrals import services
from referrals.models import Referral
from tests.referrals.conftest import attach, build_now, download, make_referral, verify_package

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path):
    first = attach(caseworker, case)
    second = attach(caseworker, case, content=b"a second exhibit, a photo\n" * 50, name="photo.jpg")
    referral = build_now(legal, make_referral(legal, case, files=[first, second]), django_capture_on_commit_callbacks)
    passphrase, entries = opened(legal, referral, tmp_path)
    return tmp_path / "package.zip", passphrase, entries


def opened(legal, referral, tmp_path):
    """The built package downloaded to tmp_path/package.zip: (passphrase, {entry name: bytes})."""
    assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error
    passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
    zf = pyzipper.AESZipFile(download(legal, referral, tmp_path / "package.zip"))
    zf.setpassword(passphrase.encode())
    return passphrase, {name: zf.read(name) for name in zf.namelist()}


def _key(entries) -> str:
    return json.loads(entries["manifest.json"])["checkpoint"]["verifier_key"]


def extract(entries: dict, folder: Path) -> Path:
    for name, data in entries.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def rezip(entries: dict, path: Path, passphrase: str) -> Path:
    with pyzipper.AESZipFile(path, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(passphrase.encode())
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def run_own_verifier(folder: Path, *args, cwd=None) -> subprocess.CompletedProcess:
    """python verify.py in the extracted folder, as the README says: no Dalil, no PYTHONPATH, no Django settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DJANGO", "DALIL"))}
    return subprocess.run(
        [sys.executable, "-I", "verify.py", *args], cwd=cwd or folder, env=env, capture_output=True, text=True, timeout=60
    )


def assert_both_fail(entries, tmp_path, passphrase, expected: str) -> None:
    folder = extract(entries, tmp_path / "forged")
    result = run_own_verifier(folder, "--public-key", _key(entries))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "NOT VERIFIED" in result.stdout and expected in result.stdout, result.stdout
    forged = rezip(entries, tmp_path / "forged.zip", passphrase)
    with pytest.raises(CommandError) as raised:
        call_command("verify_referral", str(forged), passphrase=passphrase, public_key=_key(entries))
    assert "NOT VERIFIED" in str(raised.value)
    report = verify_package(forged, passphrase)
    assert any(expected in line for line in report.failed), report.failed


def _manifest(entries) -> dict:
    return json.loads(entries["manifest.json"])


def _with_manifest(entries, manifest) -> dict:
    return {**entries, "manifest.json": json.dumps(manifest).encode()}


def test_the_package_verifies_itself_from_a_folder_outside_the_repository(package, tmp_path):
    path, passphrase, entries = package
    assert entries["verify.py"] == (REPO / "audit" / "proofs.py").read_bytes()  # the one copy, verbatim
    readme = entries["README.txt"].decode()
    assert "python3 verify.py --public-key" in readme and _key(entries) in readme
    folder = extract(entries, tmp_path / "received")
    assert not str(folder).startswith(str(REPO))
    result = run_own_verifier(folder, "--public-key", _key(entries))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("VERIFIED")
    assert "exhibit E01: SHA-256" in result.stdout and "exhibit E02: SHA-256" in result.stdout
    assert "evidence.file.received by cw-ref" in result.stdout
    # Without arguments, from another folder: it checks the folder it sits in.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, "-I", str(folder / "verify.py")], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0 and "pin the organisation's key" in result.stdout, result.stdout + result.stderr
    call_command("verify_referral", str(folder), public_key=_key(entries))


def test_referrals_verify_py_runs_as_the_docs_say(package):
    path, passphrase, entries = package
    for cwd in (REPO, path.parent):
        result = subprocess.run(
            [sys.executable, str(REPO / "referrals" / "verify.py"), str(path), "--passphrase", passphrase],
            cwd=cwd, capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "VERIFIED" in result.stdout


def test_swapped_exhibit_with_its_manifest_hash_updated_fails(package, tmp_path):
    _path, passphrase, entries = package
    other = b"%PDF-1.4 a different contract\n" * 100
    manifest = _manifest(entries)
    manifest["exhibits"][0]["sha256"] = hashlib.sha256(other).hexdigest()
    manifest["exhibits"][0]["size"] = len(other)
    forged = _with_manifest(entries, manifest)
    forged[manifest["exhibits"][0]["path"]] = other
    assert_both_fail(forged, tmp_path, passphrase, "exhibit E01: its SHA-256")


def test_exhibits_swapped_with_each_other_fail(package, tmp_path):
    _path, passphrase, entries = package
    manifest = _manifest(entries)
    first, second = manifest["exhibits"]
    forged = dict(entries)
    forged[first["path"]], forged[second["path"]] = entries[second["path"]], entries[first["path"]]
    assert_both_fail(forged, tmp_path, passphrase, "exhibit E01: its SHA-256")
    # Moving the other exhibit's custody along with it does not help: the signed events name the other file.
    first["custody"], second["custody"] = second["custody"], first["custody"]
    assert_both_fail(_with_manifest(forged, manifest), tmp_path, passphrase, "is not about this exhibit's file")


@pytest.mark.parametrize("edit", ["actor", "time", "intake_hash"])
def test_edited_custody_event_fails(package, tmp_path, edit):
    _path, passphrase, entries = package
    manifest = _manifest(entries)
    entry = manifest["exhibits"][0]["custody"][0]
    event = json.loads(entry["event"])
    if edit == "actor":
        event[4] = "someone-else"
    elif edit == "time":
        event[2] = event[2].replace(event[2][:4], str(int(event[2][:4]) - 1))
    else:
        event[12]["sha256"] = "0" * 64
    entry["event"] = json.dumps(event, separators=(",", ":"), sort_keys=True)
    assert_both_fail(_with_manifest(entries, manifest), tmp_path, passphrase, "does not lead to the checkpoint's root")


def test_removed_intake_event_fails(package, tmp_path):
    _path, passphrase, entries = package
    manifest = _manifest(entries)
    custody = manifest["exhibits"][0]["custody"]
    manifest["exhibits"][0]["custody"] = [e for e in custody if json.loads(e["event"])[5] != "evidence.file.received"]
    assert_both_fail(_with_manifest(entries, manifest), tmp_path, passphrase, "exhibit E01: no signed intake event")
    # Withheld in its place (only a leaf hash): proven in the log, but nothing shows what was received.
    intake = custody[0]
    text = intake.pop("event")
    intake.update(event=None, leaf_hash=proofs.leaf_hash(text.encode()).hex(), withheld="forged")
    manifest["exhibits"][0]["custody"] = custody
    assert_both_fail(_with_manifest(entries, manifest), tmp_path, passphrase, "exhibit E01: no signed intake event")


def test_bad_checkpoint_signature_fails(package, tmp_path):
    _path, passphrase, entries = package
    manifest = _manifest(entries)
    note = manifest["checkpoint"]["note"]
    head, sig = note.rsplit(" ", 1)
    raw = bytearray(proofs.unb64(sig.strip()))
    raw[-1] ^= 1
    manifest["checkpoint"]["note"] = f"{head} {proofs.b64(bytes(raw))}\n"
    assert_both_fail(_with_manifest(entries, manifest), tmp_path, passphrase, "checkpoint: the checkpoint signature does not verify")
    # A checkpoint re-signed with another key, carried with that key, fails against the organisation's key.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate()
    public = other.public_key().public_bytes_raw()
    name = manifest["checkpoint"]["verifier_key"].split("+")[0]
    text = note[: note.rindex("\n\n") + 1]
    signature = proofs.key_id(name, public) + other.sign(text.encode())
    manifest["checkpoint"]["note"] = f"{text}\n\u2014 {name} {proofs.b64(signature)}\n"
    encoded = proofs.b64(bytes([1]) + public)
    manifest["checkpoint"]["verifier_key"] = f"{name}+{proofs.key_id(name, public).hex()}+{encoded}"
    forged = _with_manifest(entries, manifest)
    folder = extract(forged, tmp_path / "resigned")
    result = run_own_verifier(folder, "--public-key", _key(entries))
    assert result.returncode == 1 and "not the key you gave" in result.stdout
    with pytest.raises(CommandError):
        call_command("verify_referral", str(rezip(forged, tmp_path / "r.zip", passphrase)), passphrase=passphrase, public_key=_key(entries))


def test_an_extra_file_or_a_missing_exhibit_fails(package, tmp_path):
    _path, passphrase, entries = package
    manifest = _manifest(entries)
    manifest["exhibits"][1] = dict(manifest["exhibits"][0], number="E02")  # one file shown as two exhibits
    assert_both_fail(_with_manifest(entries, manifest), tmp_path / "c", passphrase, "listed twice")
    assert_both_fail({**entries, "exhibits/E03.exe": b"MZ"}, tmp_path / "a", passphrase, "files not in the manifest")
    manifest = _manifest(entries)
    missing = {k: v for k, v in entries.items() if k != manifest["exhibits"][1]["path"]}
    assert_both_fail(missing, tmp_path / "b", passphrase, "exhibit E02: exhibits/")



def test_every_manifest_follows_the_published_schema(package, tmp_path):
    import jsonschema

    from referrals import manifest as manifests

    _path, _passphrase, entries = package
    manifest = _manifest(entries)
    schema = json.loads((REPO / "docs" / "referral-manifest.schema.json").read_text())
    jsonschema.validate(manifest, schema)
    (tmp_path / "example.json").write_text(json.dumps(manifest, indent=2))
    manifest["exhibits"][0]["sha256_at_intake"] = manifest["exhibits"][0]["sha256"]
    with pytest.raises(manifests.ManifestError, match="exhibits/0"):
        manifests.validate(manifest)


def test_a_stale_consistency_proof_fails(package, tmp_path, caseworker, case):
    from audit import checkpoints
    from tests.referrals.conftest import attach as add_more

    _path, passphrase, entries = package
    size = int(_manifest(entries)["checkpoint"]["note"].split("\n")[1])
    add_more(caseworker, case, content=b"later\n", name="later.txt")
    middle = checkpoints.checkpoint_create()
    add_more(caseworker, case, content=b"later still\n", name="later2.txt")
    later = checkpoints.checkpoint_create()
    good = checkpoints.consistency_proof(size, later.tree_size)
    folder = extract(entries, tmp_path / "received")
    (tmp_path / "good.json").write_text(json.dumps(good))
    result = run_own_verifier(folder, "--public-key", _key(entries), "--consistency", str(tmp_path / "good.json"))
    assert result.returncode == 0 and "the log only grew" in result.stdout, result.stdout
    # A proof from another checkpoint, as is or relabelled as if it started from the package's: stale.
    stale = checkpoints.consistency_proof(middle.tree_size, later.tree_size)
    for name, doc in (("stale.json", stale), ("relabelled.json", dict(stale, old_checkpoint=good["old_checkpoint"], old_size=size))):
        (tmp_path / name).write_text(json.dumps(doc))
        result = run_own_verifier(folder, "--public-key", _key(entries), "--consistency", str(tmp_path / name))
        assert result.returncode == 1 and "consistency proof" in result.stdout, result.stdout
        with pytest.raises(CommandError):
            call_command("verify_referral", str(folder), public_key=_key(entries), consistency=str(tmp_path / name))


def test_time_stamps_travel_in_the_package_and_forged_ones_fail(legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path, settings):
    from tests.audit.tsa import LocalTSA

    with LocalTSA() as tsa:
        settings.DALIL_TSA_URL, settings.DALIL_TSA_CA_FILE = tsa.url, tsa.ca_file
        exhibit = attach(caseworker, case)
        referral = build_now(legal, make_referral(legal, case, files=[exhibit]), django_capture_on_commit_callbacks)
    passphrase, entries = opened(legal, referral, tmp_path)
    manifest = _manifest(entries)
    assert sorted(t["kind"] for t in manifest["timestamps"]) == ["checkpoint", "intake"]
    result = run_own_verifier(extract(entries, tmp_path / "ok"), "--public-key", _key(entries))
    assert result.returncode == 0, result.stdout
    assert "the checkpoint was time-stamped at" in result.stdout and "CN=Test TSA" in result.stdout
    assert "exhibit E01: its intake hash was time-stamped at" in result.stdout

    intake = next(t for t in manifest["timestamps"] if t["kind"] == "intake")
    intake["message"] = intake["message"].replace(exhibit.sha256, "0" * 64)
    assert_both_fail(_with_manifest(entries, manifest), tmp_path / "a", passphrase, "the time-stamp is over something else")
    manifest = _manifest(entries)
    stamps = {t["kind"]: t for t in manifest["timestamps"]}
    stamps["checkpoint"]["response"] = stamps["intake"]["response"]
    assert_both_fail(_with_manifest(entries, manifest), tmp_path / "b", passphrase, "time-stamp")


def test_a_time_stamp_must_chain_to_the_authoritys_root(legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path, settings):
    from tests.audit.tsa import LocalTSA

    with LocalTSA() as tsa, LocalTSA() as other:
        settings.DALIL_TSA_URL, settings.DALIL_TSA_CA_FILE = tsa.url, tsa.ca_file
        referral = build_now(legal, make_referral(legal, case, files=[attach(caseworker, case)]), django_capture_on_commit_callbacks)
        passphrase, entries = opened(legal, referral, tmp_path)
        manifest = _manifest(entries)
        assert manifest["tsa_roots"] == [Path(tsa.ca_file).read_text()]  # the root the installation trusts travels along
        folder = extract(entries, tmp_path / "ok")
        carried = run_own_verifier(folder, "--public-key", _key(entries))
        assert carried.returncode == 0 and "chained to the root CN=Test Root CA" in carried.stdout, carried.stdout
        assert "pin the authority's own root with --tsa-root" in carried.stdout
        # The court's own copy of the root, obtained from the authority: the same result, without the note.
        pinned = run_own_verifier(folder, "--public-key", _key(entries), "--tsa-root", tsa.ca_file)
        assert pinned.returncode == 0 and "chained to the root" in pinned.stdout and "--tsa-root" not in pinned.stdout
        # A root the reader trusts that did not issue the authority's certificate: every stamp fails.
        wrong = run_own_verifier(folder, "--public-key", _key(entries), "--tsa-root", other.ca_file)
        assert wrong.returncode == 1 and "does not chain to a trusted root" in wrong.stdout, wrong.stdout
        with pytest.raises(CommandError):
            call_command("verify_referral", str(folder), public_key=_key(entries), tsa_root=other.ca_file)
        # The check a court can make with openssl alone, as docs/evidence-format.md gives it.
        for stamp in manifest["timestamps"]:
            (tmp_path / "stamp.tsr").write_bytes(base64.b64decode(stamp["response"]))
            (tmp_path / "stamped.txt").write_bytes(stamp["message"].encode("utf-8"))
            checked = subprocess.run(["openssl", "ts", "-verify", "-in", "stamp.tsr", "-data", "stamped.txt", "-CAfile", tsa.ca_file],
                                     cwd=tmp_path, capture_output=True, text=True, timeout=30)
            assert "Verification: OK" in checked.stdout, checked.stdout + checked.stderr
            refused = subprocess.run(["openssl", "ts", "-verify", "-in", "stamp.tsr", "-data", "stamped.txt", "-CAfile", other.ca_file],
                                     cwd=tmp_path, capture_output=True, text=True, timeout=30)
            assert "Verification: OK" not in refused.stdout
        # A package whose carried root was swapped for another: fails too.
        manifest["tsa_roots"] = [Path(other.ca_file).read_text()]
        assert_both_fail(_with_manifest(entries, manifest), tmp_path / "swapped", passphrase, "does not chain to a trusted root")


def test_a_package_encrypted_to_the_recipients_age_key(legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path):
    import io

    import pyrage
    from django.core.exceptions import ValidationError
    from pyrage import x25519

    identity = x25519.Identity.generate()
    with pytest.raises(ValidationError):
        make_referral(legal, case, recipient_age_key="age1notakey")
    exhibit = attach(caseworker, case)
    referral = make_referral(legal, case, files=[exhibit], recipient_age_key=str(identity.to_public()))
    referral = build_now(legal, referral, django_capture_on_commit_callbacks)
    assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error
    assert referral.package_name.endswith(".zip.age")
    # No passphrase was made for it: nothing unused is kept, and there is none to reveal.
    assert referral.passphrase_wrapped is None and referral.passphrase_kek_id == ""
    with pytest.raises(ValidationError):
        services.referral_passphrase_reveal(actor=legal, referral=referral)
    sealed = download(legal, referral, tmp_path / "package.zip.age")
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1\n")
    plain = io.BytesIO()
    pyrage.decrypt_io(io.BytesIO(sealed.read_bytes()), plain, [identity])
    (tmp_path / "package.zip").write_bytes(plain.getvalue())
    # Inside: a plain ZIP (the age layer is the encryption) that the standard library opens, no passphrase.
    import zipfile

    with zipfile.ZipFile(tmp_path / "package.zip") as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
        assert not any(info.flag_bits & 0x1 for info in zf.infolist())
    (tmp_path / "verify.py").write_bytes(entries["verify.py"])
    result = run_own_verifier(tmp_path, "package.zip", "--public-key", _key(entries))
    assert result.returncode == 0 and "VERIFIED" in result.stdout, result.stdout + result.stderr
    (tmp_path / "me.txt").write_text(f"# recipient\n{identity}\n")
    call_command("verify_referral", str(sealed), identity=str(tmp_path / "me.txt"), public_key=_key(entries))
    (tmp_path / "other.txt").write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(CommandError, match="does not open with this age identity"):
        call_command("verify_referral", str(sealed), identity=str(tmp_path / "other.txt"))


def test_a_custody_event_that_names_the_person_is_withheld_but_still_proven(legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path):
    from evidence.services import evidence_access_record
    from tests.cast import make_user

    exhibit = attach(caseworker, case)
    namesake = make_user("nysanbaev", password=None)  # a staff account named like the person of the case
    evidence_access_record(actor=namesake, file=exhibit, action="viewed")
    referral = build_now(legal, make_referral(legal, case, files=[exhibit]), django_capture_on_commit_callbacks)
    passphrase, entries = opened(legal, referral, tmp_path)
    assert b"nysanbaev" not in entries["manifest.json"].lower()
    withheld = [e for e in _manifest(entries)["exhibits"][0]["custody"] if e["event"] is None]
    assert len(withheld) == 1 and withheld[0]["withheld"]
    result = run_own_verifier(extract(entries, tmp_path / "ok"), "--public-key", _key(entries))
    assert result.returncode == 0 and "content withheld" in result.stdout, result.stdout
    manifest = _manifest(entries)
    for entry in manifest["exhibits"][0]["custody"]:
        if entry["event"] is None:
            entry["leaf_hash"] = "00" * 32
    assert_both_fail(_with_manifest(entries, manifest), tmp_path / "f", passphrase, "does not lead to the checkpoint's root")


def test_a_second_referral_proves_the_first_ones_steps_in_the_exhibits_custody(package, legal, case, django_capture_on_commit_callbacks, tmp_path):
    import datetime

    from evidence.models import EvidenceFile

    _path, _passphrase, entries = package
    first = Referral.objects.get(build_status=Referral.BuildStatus.DONE)
    services.referral_mark_sent(actor=legal, referral=first, sent_on=datetime.date.today(), channel="email")
    files = list(EvidenceFile.objects.filter(pk__in=first.evidence_file_ids))
    second = build_now(legal, make_referral(legal, case, files=files), django_capture_on_commit_callbacks)
    (tmp_path / "second").mkdir()
    _passphrase2, entries2 = opened(legal, second, tmp_path / "second")
    actions = [json.loads(e["event"])[5] for e in _manifest(entries2)["exhibits"][0]["custody"] if e["event"]]
    assert {"referral.built", "referral.downloaded", "referral.sent"} <= set(actions)
    result = run_own_verifier(extract(entries2, tmp_path / "second" / "x"), "--public-key", _key(entries2))
    assert result.returncode == 0, result.stdout
