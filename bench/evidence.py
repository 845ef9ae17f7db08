"""Evidence throughput and memory: the project's streaming encryption against the unavoidable work.

    .venv/bin/python bench/evidence.py [--mib 1024] [--skip-http]

Each phase runs in its own process so that its peak RSS is its own:

* encrypt  - evidence.sealing.seal() over the plaintext (SHA-256 + STREAM + writing the blob to storage)
* decrypt  - evidence.sealing.plaintext_sha256() over that blob: decrypting and hashing (what the sweep does)
* bare-enc - the unavoidable work over the same segments: hashlib.sha256 + AESGCM.encrypt, nothing stored
* bare-dec - AESGCM.decrypt of the same segments + hashlib.sha256

Then the same file through the real views (/evidence/<ref>/upload/ and .../download/) via
Django's full request handling in a fresh process each: a multipart body generated on
the fly and a streamed response (http-up, http-down). --gunicorn also runs both against
a gunicorn worker on loopback (peak RSS there is the server worker's VmHWM).

Targets (issue 5): project >= 0.8 x bare, peak RSS < 128 MiB per phase, HTTP >= 0.3 x bare.
The plaintext is one random MiB repeated (generating 1 GiB of randomness would dominate);
blobs go to a tmpfs (/dev/shm) when there is one, so that the disk is not what is measured.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
BLOCK = random.Random(20250601).randbytes(MIB)  # the same bytes in every phase's process


def _source(total: int):
    sent = 0
    while sent < total:
        piece = BLOCK if total - sent >= MIB else BLOCK[: total - sent]
        sent += len(piece)
        yield piece


def _expected_sha256(total: int) -> str:
    digest = hashlib.sha256()
    for block in _source(total):
        digest.update(block)
    return digest.hexdigest()


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


class _Record:
    """The fields plaintext_chunks reads, without a database row."""

    class _meta:
        label_lower = "evidence.evidencefile"

    def __init__(self, info):
        self.pk, self.kek_id, self.blob_name, self.size = info["id"], info["kek_id"], info["blob_name"], info["size"]
        self.wrapped_key = base64.b64decode(info["wrapped_key"])


def phase(name: str, total: int, state: Path) -> dict:
    """Run one phase in this process and return its figures."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    seg = 65536
    aad = b"\0" * 64
    if name == "encrypt":
        _django()
        from evidence.sealing import seal

        t, cpu = time.perf_counter(), time.process_time()
        sealed = seal(_source(total))
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
        state.write_text(json.dumps({
            "id": str(sealed.id), "kek_id": sealed.kek_id, "blob_name": sealed.blob_name, "size": sealed.size,
            "wrapped_key": base64.b64encode(sealed.wrapped_key).decode(), "sha256": sealed.sha256,
        }))
    elif name == "decrypt":
        _django()
        from evidence.sealing import plaintext_sha256

        info = json.loads(state.read_text())
        t, cpu = time.perf_counter(), time.process_time()
        digest = plaintext_sha256(_Record(info))
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert digest == info["sha256"], "decrypted plaintext differs"
    elif name == "bare-enc":
        aead, nonce = AESGCM(secrets.token_bytes(32)), secrets.token_bytes(12)
        t, cpu = time.perf_counter(), time.process_time()
        digest = hashlib.sha256()
        for block in _source(total):
            digest.update(block)
            view = memoryview(block)
            for off in range(0, len(block), seg):
                aead.encrypt(nonce, view[off : off + seg], aad)
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
    elif name == "bare-dec":
        key, nonce = secrets.token_bytes(32), secrets.token_bytes(12)
        aead = AESGCM(key)
        sealed_seg = aead.encrypt(nonce, BLOCK[:seg], aad)  # the same segment over and over: the cost is per byte
        t, cpu = time.perf_counter(), time.process_time()
        digest = hashlib.sha256()
        for _ in range(total // seg):
            digest.update(aead.decrypt(nonce, sealed_seg, aad))
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
    elif name in ("http-up", "http-down"):
        return _http_phase(name, total, state)
    else:
        raise SystemExit(f"unknown phase {name}")
    return {"phase": name, "seconds": secs, "mb_s": total / secs / 1e6, "peak_rss_mib": _peak_rss_mib(), "cpu_s": cpu}


class _Body:
    """A request body produced on the fly: the server side never sees the whole file at once."""

    def __init__(self, parts):
        self._parts = iter(parts)
        self._buf = b""

    def read(self, n=-1):
        while (n < 0 or len(self._buf) < n) and (part := next(self._parts, None)) is not None:
            self._buf += part
        if n < 0:
            n = len(self._buf)
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def readline(self, size=-1):  # WSGI requires it; the multipart parser never calls it
        return self.read(size)


def _multipart(csrf: str = "") -> tuple[str, bytes, bytes]:
    """The boundary, and the parts of an upload form's body before and after the file's bytes."""
    boundary = "----dalilbench" + secrets.token_hex(8)
    fields = {"csrfmiddlewaretoken": csrf, "source_label": "bench"} if csrf else {"source_label": "bench"}
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    head += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n'
    head += "Content-Type: application/octet-stream\r\n\r\n"
    return boundary, head.encode(), f"\r\n--{boundary}--\r\n".encode()


def _http_phase(name: str, total: int, state: Path) -> dict:
    """Through Django's full request handling (middleware, the real views) in this process."""
    _django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    info = json.loads(state.read_text())
    client = Client(SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench"))
    client.get(f"/evidence/{info['reference']}/upload/", HTTP_HOST="127.0.0.1")  # warm up: imports, URL resolver, templates
    if name == "http-up":
        boundary, head, tail = _multipart()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t = time.perf_counter()
        response = client.request(**{
            "PATH_INFO": f"/evidence/{info['reference']}/upload/", "REQUEST_METHOD": "POST", "QUERY_STRING": "",
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(len(head) + total + len(tail)),
            "wsgi.input": _Body([head, *_source(total), tail]), "HTTP_HOST": "127.0.0.1",
        })
        secs = time.perf_counter() - t
        if os.environ.get("BENCH_PROFILE"):
            prof.disable()
            prof.dump_stats(os.environ["BENCH_PROFILE"])
        if response.status_code != 302:
            raise SystemExit(f"upload failed: HTTP {response.status_code}")
        info["download"] = response["Location"].rstrip("/") + "/download/"
        state.write_text(json.dumps(info))
    else:
        expected = _expected_sha256(total)
        t = time.perf_counter()
        response = client.get(info["download"], HTTP_HOST="127.0.0.1")
        digest, got = hashlib.sha256(), 0
        for chunk in response.streaming_content:
            digest.update(chunk)
            got += len(chunk)
        secs = time.perf_counter() - t
        if response.status_code != 200 or got != total or digest.hexdigest() != expected:
            raise SystemExit(f"download failed: HTTP {response.status_code}, {got} bytes")
    return {"phase": name, "seconds": secs, "mb_s": total / secs / 1e6, "peak_rss_mib": _peak_rss_mib()}


def _run_phase(name, total, state, env) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--bytes", str(total), "--state", str(state)],
        env=env, capture_output=True, text=True, check=False,
    )
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- HTTP ------------------------------------------------------------------------------


SETUP = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from accounts import services as accounts
from tests.factories import make_case
user = accounts.user_create(actor=None, system="bench", username="bench", roles=["caseworker"], password=None, email="b@example.org")
case = make_case(actor=user)
s = SessionStore()
s[SESSION_KEY] = str(user.pk); s[BACKEND_SESSION_KEY] = "accounts.backends.UserBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print(json.dumps({"reference": case.reference, "session": s.session_key, "cookie": settings.SESSION_COOKIE_NAME}))
"""


def _http_setup(env: dict) -> str:
    """Migrate, make the bench user, a case and a session; returns them as one line of JSON."""
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if setup.returncode:
        raise SystemExit(f"HTTP setup failed:\n{setup.stderr[-3000:]}")
    return setup.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=1024, help="plaintext size in MiB (default 1024 = 1 GiB)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--gunicorn", action="store_true", help="also time upload/download against gunicorn on loopback")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--bytes", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.bytes, Path(args.state))))
        return

    total = args.mib * MIB
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    data_dir = Path(tempfile.mkdtemp(prefix="dalil-bench-", dir=base))
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("DALIL_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT), "DALIL_DATA_DIR": str(data_dir),
        "DALIL_MEDIA_ROOT": str(data_dir / "blobs"), "DALIL_SECRET_KEY": secrets.token_urlsafe(40),
        "DALIL_KEK": "dalil-key-v1:kek:bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "DALIL_2FA_REQUIRED_FOR": "", "DALIL_EVIDENCE_MAX_BYTES": str(total + MIB),
        "DALIL_AUDIT_KEY": "dalil-key-v1:audit-chain:bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "DALIL_AUDIT_SIGNING_KEY": "dalil-key-v1:audit-signing:bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
    })
    state = data_dir / "sealed.json"
    try:
        print(f"evidence bench: {args.mib} MiB plaintext, blobs in {data_dir}")
        results = {name: _run_phase(name, total, state, env) for name in ("encrypt", "bare-enc", "decrypt", "bare-dec")}
        # CPU seconds (every thread of the phase): on a busy machine the wall-clock ratios say little about
        # the code, while CPU time shows the work done; overlapped hashing spends a little more of it.
        print(f"{'phase':<10} {'seconds':>8} {'MB/s':>8} {'peak RSS MiB':>13} {'CPU s':>7}")
        for r in results.values():
            print(f"{r['phase']:<10} {r['seconds']:>8.2f} {r['mb_s']:>8.0f} {r['peak_rss_mib']:>13.1f} {r['cpu_s']:>7.2f}")
        enc_ratio = results["encrypt"]["mb_s"] / results["bare-enc"]["mb_s"]
        dec_ratio = results["decrypt"]["mb_s"] / results["bare-dec"]["mb_s"]
        print(f"ratio project/bare: encrypt {enc_ratio:.2f}, decrypt {dec_ratio:.2f}   (target >= 0.80)")
        print(f"peak RSS: max {max(r['peak_rss_mib'] for r in results.values()):.1f} MiB   (target < 128 MiB)")
        if not args.skip_http:
            for item in (data_dir / "blobs").glob("**/*.dlev"):
                item.unlink()
            state.write_text(_http_setup(env))
            runs = [("http-up", "bare-enc"), ("http-down", "bare-dec")]
            if args.gunicorn:
                sys.path.insert(0, str(ROOT))
                from bench.evidence_gunicorn import http_bench

                h = http_bench(total, env, data_dir, json.loads(state.read_text()))
                print(f"(gunicorn on loopback) upload {h['upload']['mb_s']:.0f} MB/s, download {h['download']['mb_s']:.0f} MB/s, "
                      f"server peak RSS {max(h['upload']['peak_rss_mib'], h['download']['peak_rss_mib']):.1f} MiB")
            for name, bare in runs:
                r = _run_phase(name, total, state, env)
                ratio = r["mb_s"] / results[bare]["mb_s"]
                print(f"{name:<10} {r['seconds']:>8.2f} {r['mb_s']:>8.0f} {r['peak_rss_mib']:>13.1f}   ratio to {bare} {ratio:.2f} (target >= 0.30)")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
