"""Issue 17: the attacker has seized the server and its checkpoint key, rewrites history, and re-stamps it with a
time-stamping authority of their own, whose root they put in the package's manifest (`tsa_roots`).

The package's own verifier must never let that pass as outside time: read as docs/evidence-format.md tells an
outside verifier, a root carried in the package shows only that the package is self-consistent. Without
--tsa-root the verifier says so and prints the root's fingerprint (to compare with the authority's own); with
the authority's real root pinned, every forged stamp fails.
"""

import base64
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.timestamps import request_stamp
from tests.audit.tsa import LocalTSA
from tests.referrals.conftest import _audit_checkpoints, attach, build_now, case, case_bundle, caseworker, legal, make_referral  # noqa: F401
from tests.referrals.test_forgery import _key, extract, opened, run_own_verifier

pytestmark = pytest.mark.django_db


def test_a_package_restamped_by_the_attackers_own_authority_and_root_is_never_outside_time(
    legal, case, caseworker, django_capture_on_commit_callbacks, tmp_path, settings  # noqa: F811
):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    with LocalTSA() as real, LocalTSA() as evil:
        settings.DALIL_TSA_URL, settings.DALIL_TSA_CA_FILE = real.url, real.ca_file
        referral = build_now(legal, make_referral(legal, case, files=[attach(caseworker, case)]), django_capture_on_commit_callbacks)
        _passphrase, entries = opened(legal, referral, tmp_path)
        manifest = json.loads(entries["manifest.json"])
        settings.DALIL_TSA_CA_FILE = evil.ca_file
        for stamp in manifest["timestamps"]:  # the same messages, stamped by the attacker's own authority
            stamp["response"] = base64.b64encode(request_stamp(stamp["message"].encode("utf-8"), evil.url).as_bytes()).decode()
        evil_root = Path(evil.ca_file).read_text()
        manifest["tsa_roots"] = [evil_root]
        forged = extract({**entries, "manifest.json": json.dumps(manifest).encode()}, tmp_path / "forged")

        carried = run_own_verifier(forged, "--public-key", _key(entries))
        # Self-consistent, and it says so: the roots came from the package, with the fingerprint to compare.
        assert "note  time-stamps chained to the roots carried in the package" in carried.stdout, carried.stdout
        fingerprint = x509.load_pem_x509_certificate(evil_root.encode()).fingerprint(hashes.SHA256()).hex()
        assert fingerprint in carried.stdout
        # The court pins the authority's real root, fetched from the authority: every forged stamp fails.
        pinned = run_own_verifier(forged, "--public-key", _key(entries), "--tsa-root", real.ca_file)
        assert pinned.returncode == 1 and "NOT VERIFIED" in pinned.stdout, pinned.stdout
        assert pinned.stdout.count("does not chain to a trusted root") == len(manifest["timestamps"])
        with pytest.raises(CommandError):
            call_command("verify_referral", str(forged), public_key=_key(entries), tsa_root=real.ca_file)
