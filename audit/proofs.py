"""Dalil proofs: the one copy of the Merkle, signed-note and referral-package verification code.

This file depends on the Python standard library and `cryptography` only (no Dalil, no Django). The audit
app imports it, and every referral package carries it, byte for byte, as `verify.py`. A recipient runs:

    python verify.py                          # in the folder the package was extracted to
    python verify.py PACKAGE.zip --passphrase ...   # needs `pip install pyzipper` for the AES ZIP
    python verify.py ... --public-key 'origin+keyid+base64key'   # the key the organisation gave you

What is checked (docs/referrals.md, "Verifying a package"; docs/audit-log.md for the formats):
* the checkpoint is a C2SP signed note whose Ed25519 signature by the organisation's key covers the note
  text: origin, tree size and base64 root hash, one per line, the last line's newline included;
* every custody entry is an audit event whose canonical text hashes (RFC 6962: SHA-256(0x00 || text)) to a
  leaf that its inclusion path leads from to the checkpoint's root; what is shown comes from that text;
* every exhibit hashes (SHA-256) to the `sha256` of its signed intake event (`evidence.file.received`) about
  that very file, and the dossier to the manifest's hash; the package holds nothing the manifest omits.
"""

from __future__ import annotations

if __name__ == "__main__":  # run as a script: its folder must not shadow the standard library (e.g. selectors.py)
    import os as _os
    import sys as _sys

    _here = _os.path.dirname(_os.path.abspath(__file__))
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or _os.curdir) != _here]

import base64
import binascii
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EVENT_VERSION = "dalil-audit/1"
EVENT_FIELDS = ("version", "seq", "at", "actor_id", "actor_label", "action", "target_type", "target_id",
                "case_ref", "ip", "user_agent", "fields", "data")
PACKAGE_FORMAT = "dalil-referral/2"
INTAKE_ACTION = "evidence.file.received"
FILE_TARGET = "evidence.evidencefile"
MANIFEST, README, VERIFIER = "manifest.json", "README.txt", "verify.py"
EMPTY_ROOT = hashlib.sha256(b"").digest()
SIG_PREFIX = "\u2014 "  # an em dash and a space start each signature line of a signed note
_CHUNK = 1024 * 1024


class ProofError(Exception):
    """A checkpoint, note or proof is malformed or does not verify."""


class PackageError(ProofError):
    """A package cannot be checked at all (not a package, wrong passphrase, no manifest)."""


# --- RFC 6962 / RFC 9162 Merkle trees --------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof, expected_root: bytes) -> bool:
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


def verify_consistency(old_size: int, size: int, old_root: bytes, new_root: bytes, proof) -> bool:
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
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --- C2SP signed notes and checkpoints -------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ProofError("malformed base64") from None


def key_id(name: str, public: bytes) -> bytes:
    """C2SP signed-note key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n\x01" + public).digest()[:4]


def parse_verifier_key(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """`<name>+<hex key id>+<base64(0x01 || public key)>` -> (name, key id, public key)."""
    try:
        name, kid_hex, encoded = (vkey or "").strip().split("+", 2)  # the base64 may itself hold '+'
        kid, raw = bytes.fromhex(kid_hex), unb64(encoded)
    except (ValueError, ProofError):
        raise ProofError("malformed verifier key") from None
    if len(raw) != 33 or raw[0] != 1 or len(kid) != 4 or key_id(name, raw[1:]) != kid:
        raise ProofError("malformed verifier key")
    return name, kid, Ed25519PublicKey.from_public_bytes(raw[1:])


def note_text(note: str, verifier_key: str) -> str:
    """The signed text of a note (ending in its newline) if the verifier key's signature on it verifies."""
    name, kid, public = parse_verifier_key(verifier_key)
    if not isinstance(note, str) or "\n\n" not in note or not note.endswith("\n"):
        raise ProofError("not a signed note")
    split = note.rindex("\n\n")
    text, signatures = note[: split + 1], note[split + 2 :]
    found = False
    for line in signatures.splitlines():
        parts = line[len(SIG_PREFIX) :].split(" ") if line.startswith(SIG_PREFIX) else []
        if len(parts) != 2:
            raise ProofError("malformed signature line in note")
        raw = unb64(parts[1])
        if parts[0] != name or raw[:4] != kid:
            continue  # a signature by some other key (a witness, say): not ours to judge
        try:
            public.verify(raw[4:], text.encode("utf-8"))
        except InvalidSignature:
            raise ProofError("the checkpoint signature does not verify") from None
        found = True
    if not found:
        raise ProofError("the note carries no signature by the audit checkpoint key")
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str


def parse_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """C2SP tlog-checkpoint: origin, decimal tree size, base64 root hash (then optional extension lines)."""
    name = parse_verifier_key(verifier_key)[0]
    lines = note_text(note, verifier_key).split("\n")
    if len(lines) < 4 or not lines[1].isdigit() or (lines[1] != "0" and lines[1].startswith("0")):
        raise ProofError("malformed checkpoint body")
    root = unb64(lines[2])
    if len(root) != 32:
        raise ProofError("malformed checkpoint root hash")
    if lines[0] != name:
        raise ProofError("the checkpoint's origin is not the name of the key that signed it")
    return Checkpoint(origin=lines[0], size=int(lines[1]), root=root, note=note)


def check_consistency(old: Checkpoint, new: Checkpoint, proof) -> None:
    """Raise unless `proof` (base64 hashes, the wire form of docs/audit-log.md) shows `old` is a prefix of `new`."""
    hashes = [unb64(h) for h in proof]
    if not verify_consistency(old.size, new.size, old.root, new.root, hashes):
        raise ProofError(f"the consistency proof does not show the log of {old.size} events is a prefix of the log of {new.size}")


CONSISTENCY_TYPE = "dalil-audit-consistency-proof/1"


def check_consistency_proof(doc: dict, verifier_key: str) -> tuple[Checkpoint, Checkpoint]:
    """A consistency proof in its wire form (docs/audit-log.md): both checkpoints signed, sizes as stated, proof good."""
    try:
        if doc.get("type") != CONSISTENCY_TYPE:
            raise ProofError("not a Dalil audit consistency proof")
        old = parse_checkpoint(doc["old_checkpoint"], verifier_key)
        new = parse_checkpoint(doc["new_checkpoint"], verifier_key)
        sizes, hashes = (doc["old_size"], doc["new_size"]), doc["proof"]
    except (KeyError, TypeError, AttributeError):
        raise ProofError("malformed consistency proof") from None
    if sizes != (old.size, new.size) or not isinstance(hashes, list):
        raise ProofError("the proof's sizes are not its checkpoints' sizes")
    check_consistency(old, new, hashes)
    return old, new


def event_in_log(text: str, seq: int, path, checkpoint: Checkpoint) -> dict:
    """The fields of audit event `text` if it is event #seq of the checkpoint's log; ProofError otherwise."""
    try:
        content = text.encode("ascii")
        values = json.loads(content)
        hashes = [unb64(h) for h in path]
    except (AttributeError, UnicodeError, ValueError, TypeError):
        raise ProofError("the event or its inclusion path is malformed") from None
    if not isinstance(values, list) or len(values) != len(EVENT_FIELDS) or values[0] != EVENT_VERSION or values[1] != seq:
        raise ProofError(f"the text shown is not a canonical audit event #{seq}")
    if not verify_inclusion(seq, checkpoint.size, leaf_hash(content), hashes, checkpoint.root):
        raise ProofError(f"the inclusion proof of event #{seq} does not lead to the checkpoint's root")
    return dict(zip(EVENT_FIELDS, values))


# --- RFC 3161 time-stamp tokens (a minimal DER reader: only what checking a token needs) ------------

_OID_MESSAGE_DIGEST = bytes.fromhex("2a864886f70d010904")
_HASHES = {bytes.fromhex("608648016503040201"): "sha256", bytes.fromhex("608648016503040202"): "sha384",
           bytes.fromhex("608648016503040203"): "sha512"}


def _der(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end) of the DER element at `pos`."""
    tag, length, pos = data[pos], data[pos + 1], pos + 2
    if length & 0x80:
        count = length & 0x7F
        length, pos = int.from_bytes(data[pos : pos + count], "big"), pos + count
    if pos + length > len(data):
        raise ProofError("truncated DER")
    return tag, pos, pos + length


def _items(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """The elements inside [start, end): (tag, element start, content start, end)."""
    out = []
    while start < end:
        tag, content, stop = _der(data, start)
        out.append((tag, start, content, stop))
        start = stop
    return out


def _inside(data: bytes, item) -> list:
    return _items(data, item[2], item[3])


def _value(data: bytes, item) -> bytes:
    return bytes(data[item[2] : item[3]])


def _hash_of(data: bytes, algorithm_identifier) -> str:
    name = _HASHES.get(_value(data, _inside(data, algorithm_identifier)[0]))
    if name is None:
        raise ProofError("the time-stamp uses a hash this verifier does not know")
    return name


def _verify_signer(data: bytes, certs: list[bytes], signer):
    """Check the SignerInfo's signature over its signed attributes with one of the token's certificates; that certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    parts = _inside(data, signer)
    chosen = getattr(hashes, _hash_of(data, parts[2]).upper())()
    attrs = next(p for p in parts if p[0] == 0xA0)
    signature = _value(data, next(p for p in parts[4:] if p[0] == 0x04))
    signed = b"\x31" + bytes(data[attrs[1] + 1 : attrs[3]])  # [0] IMPLICIT re-tagged as the SET OF it stands for
    for der in certs:
        cert = x509.load_der_x509_certificate(der)
        key = cert.public_key()
        try:
            if isinstance(key, rsa.RSAPublicKey):
                key.verify(signature, signed, padding.PKCS1v15(), chosen)
            elif isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(signature, signed, ec.ECDSA(chosen))
            else:
                continue
        except InvalidSignature:
            continue
        try:
            usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            usages = []
        if x509.oid.ExtendedKeyUsageOID.TIME_STAMPING not in usages:
            raise ProofError("the certificate that signed the time-stamp is not one for time-stamping")
        return cert
    raise ProofError("the time-stamp's signature does not verify with the certificate it carries")


def _named(cert) -> str:
    from cryptography.hazmat.primitives import hashes

    return f"{cert.subject.rfc4514_string()} (certificate SHA-256 {cert.fingerprint(hashes.SHA256()).hex()})"


def _chain(cert, carried: list[bytes], roots: list, when) -> str:
    """Follow issuers from the signing certificate to one of `roots` (each signature, CA flag and validity at the
    stamp's time checked); the root reached, or ProofError. Intermediates may come from the token."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    pool = roots + [x509.load_der_x509_certificate(der) for der in carried]
    pinned = {root.fingerprint(hashes.SHA256()) for root in roots}
    for _depth in range(8):
        if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
            raise ProofError(f"the certificate {cert.subject.rfc4514_string()} was not valid when the stamp was made")
        if cert.fingerprint(hashes.SHA256()) in pinned:
            return _named(cert)
        issuer = None
        for candidate in pool:
            if candidate.subject != cert.issuer or candidate.fingerprint(hashes.SHA256()) == cert.fingerprint(hashes.SHA256()):
                continue
            try:
                is_ca = candidate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
                cert.verify_directly_issued_by(candidate)
            except (x509.ExtensionNotFound, ValueError, TypeError, InvalidSignature):
                continue
            if is_ca:
                issuer = candidate
                break
        if issuer is None:
            raise ProofError(f"the authority's certificate does not chain to a trusted root (no issuer found for {cert.issuer.rfc4514_string()})")
        cert = issuer
    raise ProofError("the authority's certificate chain is too long")


def check_timestamp(message: bytes, response: bytes, roots: list | None = None) -> tuple[str, str]:
    """(time, authority) of an RFC 3161 TimeStampResp over SHA-256(message), its signature checked; ProofError if not.
    With `roots` (cryptography x509 certificates), the signing certificate must also chain to one of them, and the
    authority returned names the root reached. Which roots to trust is the reader's call."""
    try:
        status, token = _items(response, *_der(response, 0)[1:])[:2]
        if int.from_bytes(_value(response, _inside(response, status)[0]), "big") not in (0, 1):
            raise ProofError("the authority did not grant this time-stamp")
        signed_data = _inside(response, _inside(response, _inside(response, token)[1])[0])
        octets = _inside(response, _inside(response, signed_data[2])[1])[0]
        tst = _inside(response, _inside(response, octets)[0])  # TSTInfo: version, policy, messageImprint, serialNumber, genTime
        imprint = _inside(response, tst[2])
        certs = [bytes(response[c[1] : c[3]]) for p in signed_data if p[0] == 0xA0 for c in _inside(response, p)]
        signer = _inside(response, signed_data[-1])[0]
        attrs = next(p for p in _inside(response, signer) if p[0] == 0xA0)
        digest = next(_value(response, _inside(response, _inside(response, a)[1])[0])
                      for a in _inside(response, attrs) if _value(response, _inside(response, a)[0]) == _OID_MESSAGE_DIGEST)
        gen_time = _value(response, tst[4]).decode("ascii")
        ok_imprint = _hash_of(response, imprint[0]) == "sha256" and _value(response, imprint[1]) == hashlib.sha256(message).digest()
        ok_content = hashlib.new(_hash_of(response, _inside(response, signer)[2]), _value(response, octets)).digest() == digest
    except (IndexError, StopIteration, ValueError, UnicodeError):
        raise ProofError("the time-stamp token is malformed") from None
    if not ok_imprint:
        raise ProofError("the time-stamp is over something else")
    if not ok_content:
        raise ProofError("the time-stamp's signed attributes are not over its content")
    cert = _verify_signer(response, certs, signer)
    authority = _named(cert)
    if roots:
        import datetime

        try:
            at = datetime.datetime.strptime(gen_time[:14], "%Y%m%d%H%M%S").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise ProofError("the time-stamp's time is malformed") from None
        authority += f", chained to the root {_chain(cert, certs, roots, at)}"
    when = f"{gen_time[0:4]}-{gen_time[4:6]}-{gen_time[6:8]} {gen_time[8:10]}:{gen_time[10:12]}:{gen_time[12:14]} UTC"
    return when, authority


# --- referral packages -----------------------------------------------------------------------------


@dataclass
class Report:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class FolderPackage:
    """An extracted package: a folder."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)

    def names(self) -> set[str]:
        found = set()
        for top, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            found |= {os.path.relpath(os.path.join(top, f), self.root).replace(os.sep, "/") for f in files}
        return found

    def open(self, name: str):
        if name not in self.names():
            raise KeyError(name)
        return open(os.path.join(self.root, *name.split("/")), "rb")


class ZipPackage:
    """A package as received: an AES-encrypted ZIP (opened with pyzipper), or a plain ZIP (an age package's inside)."""

    def __init__(self, path: str, passphrase: str | None):
        try:
            import pyzipper

            opener = pyzipper.AESZipFile
        except ImportError:
            opener = zipfile.ZipFile
        try:
            self.zf = opener(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise PackageError(f"{path} is not a readable ZIP package ({exc})") from None
        if passphrase:
            self.zf.setpassword(passphrase.encode("utf-8"))

    def names(self) -> set[str]:
        return {n for n in self.zf.namelist() if not n.endswith("/")}

    def open(self, name: str):
        try:
            return self.zf.open(name)
        except RuntimeError:
            raise PackageError("wrong passphrase: the package does not open with it (or no passphrase was given)") from None
        except NotImplementedError:
            raise PackageError("this ZIP is AES-encrypted: extract it with 7-Zip, or `pip install pyzipper`") from None


def _digest(package, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with package.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_manifest(package) -> dict:
    try:
        with package.open(MANIFEST) as fh:
            manifest = json.loads(fh.read())
    except KeyError:
        raise PackageError("the package has no manifest.json") from None
    except (ValueError, zipfile.BadZipFile):
        raise PackageError("manifest.json is damaged or not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"manifest.json is not a {PACKAGE_FORMAT} manifest")
    return manifest


def _about_file(event: dict, file_id: str) -> bool:
    if event["target_type"] == FILE_TARGET and event["target_id"] == file_id:
        return True
    files = event["data"].get("files") if isinstance(event["data"], dict) else None
    return isinstance(files, list) and file_id in files


def _custody(report: Report, exhibit: dict, checkpoint: Checkpoint | None) -> list[dict]:
    """The custody events of one exhibit that are proven in the signed log, in log order."""
    number, file_id = exhibit.get("number", "?"), str(exhibit.get("file_id", ""))
    proven, last = [], -1
    for entry in exhibit.get("custody") or []:
        seq = entry.get("seq") if isinstance(entry, dict) else None
        where = f"exhibit {number}, custody event #{seq}"
        if not isinstance(seq, int) or seq <= last:
            report.failed.append(f"{where}: not in log order (or no event number)")
            continue
        last = seq
        if checkpoint is None:
            report.failed.append(f"{where}: cannot be proven without a valid checkpoint")
            continue
        try:
            if entry.get("event") is None:  # withheld: proven by its leaf hash alone, nothing shown
                leaf = bytes.fromhex(entry.get("leaf_hash", ""))
                if not verify_inclusion(seq, checkpoint.size, leaf, [unb64(h) for h in entry.get("inclusion_path", [])], checkpoint.root):
                    raise ProofError("its inclusion proof does not lead to the checkpoint's root")
                report.passed.append(f"{where}: in the signed log (content withheld: {entry.get('withheld', 'no reason given')})")
                continue
            event = event_in_log(entry["event"], seq, entry.get("inclusion_path", []), checkpoint)
        except (ProofError, ValueError, KeyError, TypeError, AttributeError) as exc:
            report.failed.append(f"{where}: {exc}")
            continue
        if not _about_file(event, file_id):
            report.failed.append(f"{where}: the signed event is not about this exhibit's file {file_id}")
            continue
        proven.append(event)
        report.passed.append(f"{where}: signed log says {event['at']} {event['action']} by {event['actor_label']}")
    return proven


def _check_exhibit(report: Report, package, exhibit: dict, checkpoint: Checkpoint | None) -> dict | None:
    number = exhibit.get("number", "?")
    try:
        actual, size = _digest(package, exhibit.get("path", ""))
    except KeyError:
        report.failed.append(f"exhibit {number}: {exhibit.get('path')} is missing from the package")
        return None
    proven = _custody(report, exhibit, checkpoint)
    intake = [e for e in proven if e["action"] == INTAKE_ACTION and e["target_type"] == FILE_TARGET]
    if not intake:
        report.failed.append(f"exhibit {number}: no signed intake event ({INTAKE_ACTION}) proves what was received")
        return None
    signed = intake[0]["data"] if isinstance(intake[0]["data"], dict) else {}
    if signed.get("sha256") != actual or signed.get("size", size) != size:
        report.failed.append(
            f"exhibit {number}: its SHA-256 {actual} is not the {signed.get('sha256')} recorded in its signed intake event #{intake[0]['seq']}"
        )
    elif exhibit.get("sha256", actual) != actual:
        report.failed.append(f"exhibit {number}: the manifest's SHA-256 is not the exhibit's")
    else:
        report.passed.append(
            f"exhibit {number}: SHA-256 {actual} is the hash signed at intake (event #{intake[0]['seq']},"
            f" {intake[0]['at']} by {intake[0]['actor_label']})"
        )
    return intake[0]


def _intake_batch(text: str, checkpoint: Checkpoint) -> dict[int, tuple[str, str]]:
    lines = text.split("\n")
    if lines[0] != "dalil-intake-batch/1" or lines[1] != checkpoint.origin or text[-1:] != "\n":
        raise ProofError("not an intake hash batch of this log")
    return {int(seq): (file_id, sha) for seq, file_id, sha in (line.split(" ") for line in lines[3:-1])}


def load_roots(pem: bytes) -> list:
    """The certificates of a PEM file or text (ProofError if there are none)."""
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise ProofError("no PEM certificate in the time-stamping root file") from None


def _tsa_roots(report: Report, manifest: dict, given: list | None) -> list:
    """The roots a stamp must chain to: the reader's own (--tsa-root), else those the package carries."""
    if given:
        return given
    carried = manifest.get("tsa_roots") or []
    try:
        roots = [root for pem in carried for root in load_roots(str(pem).encode("ascii"))]
    except (ProofError, UnicodeError):
        report.failed.append("the package's time-stamping roots (tsa_roots) are not PEM certificates")
        return []
    if roots:
        report.notes.append("time-stamps chained to the roots carried in the package; pin the authority's own root with --tsa-root")
    elif manifest.get("timestamps"):
        report.notes.append("no time-stamping root in the package or given with --tsa-root: the authority's certificate was not chained to a root")
    return roots


def _check_timestamps(report: Report, stamps: list, checkpoint: Checkpoint | None, intakes: dict, roots: list) -> None:
    """Each RFC 3161 stamp the package carries: over its checkpoint note, or over a batch of intake hashes."""
    if not stamps:
        report.notes.append("the package carries no RFC 3161 time-stamps")
    stamped = set()
    for position, stamp in enumerate(stamps if isinstance(stamps, list) else []):
        try:
            message = str(stamp["message"])
            when, who = check_timestamp(message.encode("utf-8"), unb64(stamp["response"]), roots)
            if stamp["kind"] == "checkpoint":
                if checkpoint is None or message != checkpoint.note:
                    raise ProofError("it is over another checkpoint than the package's")
                report.passed.append(f"the checkpoint was time-stamped at {when} by {who}")
                continue
            batch = _intake_batch(message, checkpoint) if checkpoint else {}
        except (ProofError, KeyError, TypeError, ValueError) as exc:
            report.failed.append(f"time-stamp {position + 1}: {exc}")
            continue
        for number, event in intakes.items():
            if event is None or event["seq"] not in batch:
                continue
            if batch[event["seq"]] != (event["target_id"], event["data"].get("sha256")):
                report.failed.append(f"exhibit {number}: the time-stamped intake batch records another file or hash")
            else:
                stamped.add(number)
                report.passed.append(f"exhibit {number}: its intake hash was time-stamped at {when} by {who}")
    for number in sorted(set(intakes) - stamped):
        report.notes.append(f"exhibit {number}: no time-stamp of its intake hash in the package")


def _check_later(report: Report, checkpoint: Checkpoint | None, doc, key: str) -> None:
    """A consistency proof from the package's checkpoint to a later one (fetched from the organisation)."""
    try:
        old, new = check_consistency_proof(doc, key)
    except ProofError as exc:
        report.failed.append(f"consistency proof: {exc}")
        return
    if checkpoint is None or (old.size, old.root) != (checkpoint.size, checkpoint.root):
        report.failed.append(f"consistency proof: it starts from a checkpoint of {old.size} events, not the package's")
    else:
        report.passed.append(f"the package's checkpoint is a prefix of the later checkpoint of {new.size} events: the log only grew")


def verify_package(package, *, public_key: str | None = None, consistency: dict | None = None, tsa_roots: list | None = None) -> Report:
    """Check a package (FolderPackage or ZipPackage) offline. PackageError if it cannot be checked at all.
    `consistency`: a consistency proof (wire form) from the package's checkpoint to a later one; `tsa_roots`: the
    reader's own time-stamping roots (x509 certificates), used instead of those the package carries."""
    report = Report()
    manifest = read_manifest(package)
    exhibits = [x for x in manifest.get("exhibits") or [] if isinstance(x, dict)]
    dossier = manifest.get("dossier") or {}
    listed = {MANIFEST, README, VERIFIER, dossier.get("path", "")} | {x.get("path", "") for x in exhibits}
    for what in ("path", "file_id", "number"):
        seen = [str(x.get(what)) for x in exhibits]
        if len(set(seen)) != len(seen):
            report.failed.append(f"an exhibit {what} is listed twice in the manifest")
    extra = sorted(package.names() - listed)
    if extra:
        report.failed.append(f"files not in the manifest: {', '.join(extra)}")
    try:
        actual = _digest(package, dossier.get("path", ""))[0]
        if actual == dossier.get("sha256"):
            report.passed.append(f"the dossier {dossier['path']}: SHA-256 matches the manifest")
        else:
            report.failed.append(f"the dossier: SHA-256 {actual} does not match the manifest")
    except KeyError:
        report.failed.append("the dossier is missing from the package")
    cp = manifest.get("checkpoint") or {}
    key = (public_key or cp.get("verifier_key") or "").strip()
    if not public_key:
        report.notes.append("checked with the key carried in the package; pin the organisation's key with --public-key")
    elif key != str(cp.get("verifier_key", "")).strip():
        report.failed.append("the checkpoint key in the manifest is not the key you gave with --public-key")
    checkpoint = None
    try:
        checkpoint = parse_checkpoint(cp.get("note", ""), key)
        report.passed.append(f"checkpoint signed by {checkpoint.origin}: {checkpoint.size} audit events, root {checkpoint.root.hex()}")
    except ProofError as exc:
        report.failed.append(f"checkpoint: {exc}")
    if not exhibits:
        report.notes.append("the package has no exhibits")
    intakes = {x.get("number", "?"): _check_exhibit(report, package, x, checkpoint) for x in exhibits}
    _check_timestamps(report, manifest.get("timestamps") or [], checkpoint, intakes, _tsa_roots(report, manifest, tsa_roots))
    if consistency is not None:
        _check_later(report, checkpoint, consistency, key)
    return report


def read_json(path: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise PackageError(f"cannot read {path}: {exc}") from None


def read_roots(path: str) -> list:
    try:
        with open(path, "rb") as fh:
            return load_roots(fh.read())
    except (OSError, ProofError) as exc:
        raise PackageError(f"cannot read the time-stamping roots in {path}: {exc}") from None


def open_package(path: str, passphrase: str | None = None):
    if os.path.isdir(path):
        return FolderPackage(path)
    return ZipPackage(path, passphrase)


def main(argv=None) -> int:
    import argparse
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Verify a Dalil referral package offline (README.txt says how).")
    parser.add_argument("package", nargs="?", default=here, help="the extracted folder (default: this file's) or the .zip")
    parser.add_argument("--passphrase", help="the ZIP's passphrase (only for a .zip not yet extracted)")
    parser.add_argument("--public-key", help="the organisation's checkpoint key, obtained from it separately")
    parser.add_argument("--consistency", metavar="FILE", help="a consistency proof from this package's checkpoint to a later one")
    parser.add_argument("--tsa-root", metavar="PEM", help="the time-stamping authority's root certificate(s), obtained from it separately")
    args = parser.parse_args(argv)
    try:
        later = read_json(args.consistency) if args.consistency else None
        roots = read_roots(args.tsa_root) if args.tsa_root else None
        report = verify_package(open_package(args.package, args.passphrase), public_key=args.public_key, consistency=later, tsa_roots=roots)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in report.passed:
        print(f"ok    {line}")
    for line in report.notes:
        print(f"note  {line}")
    for line in report.failed:
        print(f"FAIL  {line}")
    print("VERIFIED" if report.ok else f"NOT VERIFIED: {len(report.failed)} problem(s)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
