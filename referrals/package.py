"""Writing the referral package: an AES-256 encrypted ZIP (WinZip AE-2, opens in 7-Zip).

Layout (docs/referrals.md):
    dossier.pdf          the redacted dossier
    manifest.json        exhibits, their custody as signed audit events with proofs, the checkpoint and its key
    exhibits/E01.<ext>   each chosen evidence file, decrypted from the evidence store
    README.txt           how the recipient checks the package
    verify.py            the verifier (audit/proofs.py, byte for byte)

Every entry is encrypted by pyzipper as it is written; decrypted evidence passes
through memory one chunk at a time and reaches the output only as ciphertext.
File names and sizes in a ZIP's directory are not encrypted, so entry names carry
no names of people (exhibit numbers only).
"""

import hashlib
import json
from collections.abc import Callable, Iterable

import pyzipper

from audit import proofs
from referrals import manifest as manifests

MANIFEST = "manifest.json"
DOSSIER = "dossier.pdf"
_ZIP64_FROM = 1 << 31


class ExhibitIntegrityError(Exception):
    """An exhibit's content does not hash to what was recorded at intake."""


def exhibit_path(number: str, extension: str) -> str:
    ext = "".join(c for c in (extension or "").lower().lstrip(".") if c.isalnum())[:8]
    return f"exhibits/{number}.{ext}" if ext else f"exhibits/{number}"


def _open(out, passphrase: str | None) -> pyzipper.AESZipFile:
    if passphrase is None:  # encrypted as a whole to the recipient's age key afterwards (age_encrypt)
        return pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED)
    zf = pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES)
    zf.setpassword(passphrase.encode("utf-8"))
    zf.setencryption(pyzipper.WZ_AES, nbits=256)
    return zf


def age_encrypt(source, target, recipient_key: str) -> None:
    """Encrypt the finished ZIP (a file object at its start) to an age X25519 recipient, streaming into `target`."""
    import pyrage
    from pyrage import x25519

    pyrage.encrypt_io(source, target, [x25519.Recipient.from_str(recipient_key.strip())])


def write_package(
    out,
    *,
    passphrase: str | None,
    exhibits: list[dict],
    chunks_for: Callable[[dict], Iterable[bytes]],
    finish: Callable[[list[dict]], tuple[bytes, dict]],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> None:
    """Stream each exhibit into `out`, check its hash, then add the PDF and manifest that `finish` makes.

    `exhibits` are dicts with number, path, size and sha256_at_intake; `chunks_for(exhibit)` yields its
    plaintext. Raises ExhibitIntegrityError at the first exhibit whose content does not match.
    """
    total = sum(exhibit["size"] for exhibit in exhibits) or 1
    done = 0
    with _open(out, passphrase) as zf:
        for exhibit in exhibits:
            digest = hashlib.sha256()
            written = 0
            with zf.open(exhibit["path"], "w", force_zip64=exhibit["size"] >= _ZIP64_FROM) as entry:
                for chunk in chunks_for(exhibit):
                    digest.update(chunk)
                    entry.write(chunk)
                    written += len(chunk)
                    done += len(chunk)
                    progress(done, total)
            if digest.hexdigest() != exhibit["sha256_at_intake"] or written != exhibit["size"]:
                raise ExhibitIntegrityError(
                    f"exhibit {exhibit['number']} does not match the SHA-256 recorded when it was received "
                    f"(now {digest.hexdigest()[:16]}…, at intake {exhibit['sha256_at_intake'][:16]}…)"
                )
            exhibit["sha256"] = digest.hexdigest()
        pdf, manifest, readme = finish(exhibits)
        zf.writestr(DOSSIER, pdf)
        manifest["dossier"] = {"path": DOSSIER, "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}
        manifests.validate(manifest)
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
        zf.writestr(proofs.README, readme.encode("utf-8"))
        zf.writestr(proofs.VERIFIER, manifests.verifier_source())
