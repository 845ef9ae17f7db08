"""Offline verification of a referral package. No database, no network, no Django.

Checks, in order (docs/referrals.md, "Verifying a package"):
1. the package opens with the passphrase and holds manifest.json;
2. dossier.pdf and every exhibit hash (SHA-256, streamed) to what the manifest says
   was recorded at intake, and the package holds nothing the manifest does not list;
3. the audit checkpoint is a C2SP signed note with a valid Ed25519 signature by the
   organisation's key (the one in the manifest, or one you pin with --public-key);
4. every custody entry's audit event hashes to its leaf (RFC 6962: SHA-256(0x00 || event))
   and its inclusion proof leads from that leaf to the checkpoint's root hash.

This module depends only on the standard library, pyzipper and cryptography, so a
recipient can run it as a script: `python verify.py PACKAGE --passphrase ...`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass, field

import pyzipper
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024
_SIG_PREFIX = "\u2014 "  # an em dash and a space start each signature line of a signed note


class PackageError(Exception):
    """The package cannot be checked at all (not a ZIP, wrong passphrase, no manifest)."""


@dataclass
class Report:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def check(self, condition: bool, good: str, bad: str) -> bool:
        (self.passed if condition else self.failed).append(good if condition else bad)
        return condition


# --- Merkle tree (RFC 9162 2.1.3.2) -------------------------------------------------------
# Deliberately a second implementation, not an import of audit.merkle: a recipient runs this file
# without Dalil, and an independent check is the point of it (tests check it against audit's proofs).


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(content: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + content).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# --- signed notes (C2SP signed-note, tlog-checkpoint) --------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def parse_verifier_key(text: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """`<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 key)>` -> (name, key id, key)."""
    try:
        name, key_id_hex, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        key_id = bytes.fromhex(key_id_hex)
    except ValueError:
        raise PackageError("the checkpoint public key is not a signed-note verifier key") from None
    if len(raw) != 33 or raw[0] != 1 or len(key_id) != 4:
        raise PackageError("the checkpoint public key is not an Ed25519 signed-note key")
    if hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4] != key_id:
        raise PackageError("the checkpoint public key's id does not match its name and key")
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def verify_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """The checkpoint in `note` if the key signed it; PackageError otherwise."""
    name, key_id, public = parse_verifier_key(verifier_key)
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise PackageError("the checkpoint is not a signed note (no blank line before the signatures)")
    body_bytes = (body + "\n").encode("utf-8")
    good = False
    for line in signatures.splitlines():
        if not line.startswith(_SIG_PREFIX):
            continue
        try:
            signer, encoded = line[len(_SIG_PREFIX):].rsplit(" ", 1)
            blob = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        if signer != name or blob[:4] != key_id:
            continue
        try:
            public.verify(blob[4:], body_bytes)
            good = True
        except InvalidSignature:
            raise PackageError("the checkpoint's signature does not verify with the organisation's key") from None
    if not good:
        raise PackageError("the checkpoint carries no signature by the organisation's key")
    lines = body.split("\n")
    try:
        checkpoint = Checkpoint(origin=lines[0], size=int(lines[1]), root=base64.b64decode(lines[2], validate=True))
    except (IndexError, ValueError):
        raise PackageError("the checkpoint body is not origin, tree size and root hash") from None
    if lines[0] != name:
        raise PackageError("the checkpoint's origin is not the name of the key that signed it")
    return checkpoint


# --- the package ----------------------------------------------------------------------------


def _open(path: str, passphrase: str) -> pyzipper.AESZipFile:
    try:
        zf = pyzipper.AESZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackageError(f"{path} is not a readable ZIP package ({exc})") from None
    zf.setpassword(passphrase.encode("utf-8"))
    return zf


def _sha256_of(zf, name: str) -> str:
    digest = hashlib.sha256()
    with zf.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path: str, passphrase: str) -> dict:
    with _open(path, passphrase) as zf:
        return _manifest(zf)


def _manifest(zf) -> dict:
    try:
        raw = zf.read(MANIFEST)
    except KeyError:
        raise PackageError("the package has no manifest.json") from None
    except RuntimeError:
        raise PackageError("wrong passphrase: the package does not open with it") from None
    except zipfile.BadZipFile as exc:
        raise PackageError(f"manifest.json is damaged ({exc})") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise PackageError("manifest.json is not JSON") from None


def verify_package(path: str, passphrase: str, *, public_key: str | None = None) -> Report:
    """Check a package offline. PackageError if it cannot be checked at all; else a Report of each check."""
    report = Report()
    with _open(path, passphrase) as zf:
        manifest = _manifest(zf)
        listed = {MANIFEST}
        dossier = manifest.get("dossier") or {}
        if dossier.get("path"):
            listed.add(dossier["path"])
            _check_member(zf, report, dossier["path"], dossier.get("sha256", ""), "the dossier PDF")
        for x in manifest.get("exhibits", []):
            listed.add(x.get("path", ""))
            _check_member(zf, report, x.get("path", ""), x.get("sha256_at_intake", ""), f"exhibit {x.get('number')}")
        extra = sorted(set(zf.namelist()) - listed)
        report.check(not extra, "the package holds only what the manifest lists", f"files not in the manifest: {', '.join(extra)}")

    cp = manifest.get("checkpoint") or {}
    key = cp.get("verifier_key", "")
    if public_key and public_key.strip() != key.strip():
        report.failed.append("the checkpoint key in the manifest is not the key you gave with --public-key")
        return report
    try:
        checkpoint = verify_checkpoint(cp.get("note", ""), key)
    except PackageError as exc:
        report.failed.append(str(exc))
        return report
    report.passed.append(f"checkpoint signed by {checkpoint.origin}: {checkpoint.size} audit events, root {checkpoint.root.hex()[:16]}…")
    for x in manifest.get("exhibits", []):
        for entry in x.get("custody", []):
            _check_proof(report, x.get("number"), entry, checkpoint)
    return report


def _check_member(zf, report: Report, name: str, expected: str, what: str) -> None:
    try:
        actual = _sha256_of(zf, name)
    except KeyError:
        report.failed.append(f"{what}: {name} is missing from the package")
        return
    except (RuntimeError, zipfile.BadZipFile) as exc:
        report.failed.append(f"{what}: {name} cannot be read ({exc})")
        return
    report.check(actual == expected, f"{what}: SHA-256 matches ({expected[:16]}…)", f"{what}: SHA-256 {actual} does not match the manifest's {expected}")


def _check_proof(report: Report, number, entry: dict, checkpoint: Checkpoint) -> None:
    log = entry.get("log")
    label = f"exhibit {number}, custody entry {entry.get('at', '?')} {entry.get('action', '?')}"
    if not log:
        report.failed.append(f"{label}: no audit log proof")
        return
    try:
        leaf = bytes.fromhex(log["leaf_hash"])
        proof = [bytes.fromhex(h) for h in log["proof"]]
        seq = int(log["seq"])
    except (KeyError, ValueError, TypeError):
        report.failed.append(f"{label}: the proof is malformed")
        return
    if log.get("event") is not None:
        content = log["event"].encode("utf-8")
        if leaf_hash(content) != leaf:
            report.failed.append(f"{label}: the audit event shown does not hash to its leaf")
            return
        try:
            event = json.loads(content)
        except ValueError:
            event = None
        if not isinstance(event, list) or len(event) < 6 or event[1] != seq:
            report.failed.append(f"{label}: the audit event shown is not event #{seq}")
            return
    if log.get("tree_size") not in (None, checkpoint.size):
        report.failed.append(f"{label}: the proof is for a tree of {log.get('tree_size')} events, not the checkpoint's {checkpoint.size}")
        return
    report.check(
        verify_inclusion(seq, checkpoint.size, leaf, proof, checkpoint.root),
        f"{label}: audit event #{seq} is in the signed log",
        f"{label}: the inclusion proof of audit event #{seq} does not lead to the checkpoint's root",
    )


def main(argv=None) -> int:
    import argparse
    import getpass
    import sys

    parser = argparse.ArgumentParser(description="Verify a Dalil referral package offline.")
    parser.add_argument("package")
    parser.add_argument("--passphrase")
    parser.add_argument("--public-key", help="the organisation's checkpoint key, obtained separately")
    args = parser.parse_args(argv)
    passphrase = args.passphrase or getpass.getpass("Passphrase: ")
    try:
        report = verify_package(args.package, passphrase, public_key=args.public_key)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in report.passed:
        print(f"ok    {line}")
    for line in report.failed:
        print(f"FAIL  {line}")
    print("VERIFIED" if report.ok else f"NOT VERIFIED: {len(report.failed)} problem(s)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
