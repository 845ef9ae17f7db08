"""The manifest of a referral package, its recipient's README and its verifier (docs/referrals.md).

Each exhibit's custody is the list of signed audit events about its file, each carried as the event's
canonical text with its inclusion path to the package's checkpoint: what the recipient's verifier shows
comes from that signed text alone. The first, `evidence.file.received`, holds the SHA-256 recorded at
intake, which the verifier compares with the exhibit. The package carries audit/proofs.py, byte for byte,
as verify.py; docs/referral-manifest.schema.json describes the manifest, and every built one is checked
against it.
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit import proofs

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "referral-manifest.schema.json"
VERIFIER_PATH = Path(proofs.__file__)
WITHHELD = "the audit event names a person this referral redacts"


class ManifestError(Exception):
    """The manifest cannot be made as the rules ask (the build stops with this message)."""


def verifier_source() -> bytes:
    return VERIFIER_PATH.read_bytes()


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate(manifest: dict) -> None:
    """Raise ManifestError with the first place the manifest departs from the published schema."""
    error = next(iter(sorted(_validator().iter_errors(manifest), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.path) or "(top)"
        raise ManifestError(f"the manifest does not follow docs/referral-manifest.schema.json at {where}: {error.message}")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)


def custody_entry(proof: dict, redactor) -> dict:
    """One custody entry: the signed event's canonical text and its path; withheld (leaf hash only) if it names
    someone the referral redacts."""
    text = proof["event"]
    entry = {"seq": proof["leaf_index"], "inclusion_path": proof["inclusion_path"]}
    if any(redactor.text(s) != s for s in _strings(json.loads(text))):
        return {**entry, "event": None, "leaf_hash": proofs.leaf_hash(text.encode("ascii")).hex(), "withheld": WITHHELD}
    return {**entry, "event": text}


def exhibit_entry(exhibit: dict, shown: dict, custody: list[dict]) -> dict:
    intake = [e for e in custody if e.get("event") and json.loads(e["event"])[5] == proofs.INTAKE_ACTION]
    if not intake:
        raise ManifestError(
            f"exhibit {exhibit['number']}: its signed intake event cannot go into the package (missing, or it names a redacted person)"
        )
    return {
        "number": exhibit["number"], "file_id": exhibit["file_id"], "path": exhibit["path"], "label": shown["label"],
        "media_type": exhibit["media_type"], "size": exhibit["size"], "sha256": exhibit["sha256"], "custody": custody,
    }


def manifest(*, referral, build_id, organisation: str, exhibits: list[dict], checkpoint_row, verifier_key: str, timestamps=(), tsa_roots=()) -> dict:
    out = {
        "format": proofs.PACKAGE_FORMAT,
        "organisation": organisation,
        "referral": {
            "id": str(referral.pk), "build": str(build_id), "case_reference": referral.case.reference,
            "recipient": {"name": referral.recipient_name, "kind": referral.recipient_kind},
            "redaction": {"person": referral.person_redaction, "family": referral.family_redaction, "sources": referral.sources_redaction},
            "built_at": timezone.now().isoformat(),
        },
        "exhibits": exhibits,
        "checkpoint": {"note": checkpoint_row.note, "verifier_key": verifier_key},
        "verifier": {"path": proofs.VERIFIER, "readme": proofs.README},
        "timestamps": list(timestamps),
        "tsa_roots": list(tsa_roots),
    }
    return out


def readme(*, organisation: str, verifier_key: str, exhibit_count: int) -> str:
    return f"""Referral package from {organisation}
{'=' * (22 + len(organisation))}

This folder holds:
  dossier.pdf     the dossier
  exhibits/       {exhibit_count} exhibit(s), exactly as the organisation received them
  manifest.json   each exhibit's SHA-256, its chain of custody as signed audit events, and the signed checkpoint
  verify.py       a verifier you can read and run yourself (Python 3 and the `cryptography` package)
  README.txt      this file

To check the package without trusting anyone's server:
  1. Get the organisation's checkpoint key from it directly (by phone, in person, from its website).
     The key this package was built with is:
       {verifier_key}
     A key carried inside the package proves nothing on its own: compare it with the one you obtained.
  2. In this folder run:
       pip install cryptography
       python3 verify.py --public-key 'THE KEY YOU OBTAINED'
  3. "VERIFIED" means: the checkpoint is signed by that key; every custody event shown is in the signed audit
     log (RFC 6962 inclusion proofs to the checkpoint's root); and every exhibit's SHA-256 is the hash recorded
     in its signed intake event ("evidence.file.received"). Each line the verifier prints is read from the
     signed events themselves. Time-stamp lines give the time an outside authority (RFC 3161) saw the checkpoint
     and the exhibits' intake hashes, with the authority's name and certificate fingerprint. Any "FAIL" line names
     the exhibit, event or time-stamp that does not hold.
  4. To see that the organisation's log has only grown since, ask it for a consistency proof from this package's
     checkpoint to its latest and run: python3 verify.py --public-key '...' --consistency proof.json
  5. The time-stamps are chained to the authority's root certificate carried in manifest.json ("tsa_roots").
     To rely on your own copy of that root instead, get it from the authority and add: --tsa-root root.pem
     (the organisation's docs/evidence-format.md also gives the same check with openssl alone).

The signature covers the checkpoint's text: its origin line, the number of audit events and the base64 root
hash, each ending in a newline.
"""
