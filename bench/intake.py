"""A flood of family reports: N submissions per minute, each with a photo, for M minutes, through gunicorn.

    .venv/bin/python bench/intake.py [--per-minute 200] [--minutes 5] [--workers 2]

Starts gunicorn (config.wsgi, debug off, a throw-away secret and keys, PostgreSQL when DATABASE_URL is set,
else a fresh SQLite file) on loopback, sends reports at a steady rate from a pool of threads, and prints the
latency of submissions (p50, p95, p99, target p95 < 500 ms), errors, whether every accepted report is in the
database (nothing lost: each codename is looked up again), and the time of an internal page (the sign-in page)
before and during the flood. Traffic goes only to loopback; gunicorn is stopped at the end.
"""

import argparse
import io
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (secrets.randbelow(255), 90, 40)).save(out, "JPEG", quality=80)
    return out.getvalue()


def _multipart(fields: dict, photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="doc.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode() + photo + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(folder: Path) -> dict:
    env = dict(os.environ, DALIL_DEBUG="false", DALIL_SECRET_KEY=secrets.token_urlsafe(40), DALIL_DATA_DIR=str(folder),
               DALIL_ALLOWED_HOSTS="127.0.0.1,localhost", DALIL_INTAKE_RATE_PER_MINUTE="100000")
    py = str(ROOT / ".venv" / "bin" / "python")
    for purpose, name in (("kek", "DALIL_KEK_FILE"), ("audit-chain", "DALIL_AUDIT_KEY_FILE"), ("audit-signing", "DALIL_AUDIT_SIGNING_KEY_FILE"), ("intake", "DALIL_INTAKE_KEY_FILE")):
        path = folder / purpose
        subprocess.run([py, "manage.py", "keys_generate", "--purpose", purpose, "--out", str(path)], cwd=ROOT, env=env, check=True, capture_output=True)
        env[name] = str(path)
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-minute", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dalil-bench-intake-"))
    env = _environment(folder)
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        before = _page_times(base, 10)
        latencies, codenames, errors = _flood(base, args.per_minute, args.minutes)
        during = _flood_page_times
        _report(args, latencies, codenames, errors, before, during, env)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # nosec B310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _page_times(base: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        urllib.request.urlopen(base + "/accounts/login/", timeout=30).read()  # nosec B310 - loopback
        out.append(time.perf_counter() - start)
        time.sleep(0.2)
    return out


_flood_page_times: list[float] = []


def _flood(base: str, per_minute: int, minutes: float):
    photo = _photo()
    latencies, codenames, errors = [], [], []
    lock = threading.Lock()
    total = int(per_minute * minutes)
    interval = 60.0 / per_minute
    start = time.monotonic()

    def one(i: int) -> None:
        body, content_type = _multipart({"relationship": "mother", "name": f"Bench Person {i}", "story": "flood"}, photo)
        request = urllib.request.Request(base + "/report/en/", data=body, headers={"Content-Type": content_type}, method="POST")
        t0 = time.perf_counter()
        try:
            html = urllib.request.urlopen(request, timeout=60).read().decode()  # nosec B310 - loopback
            found = re.search(r'id="codename">([^<]+)<', html)
            with lock:
                latencies.append(time.perf_counter() - t0)
                (codenames.append(found.group(1).strip()) if found else errors.append("no codename"))
        except OSError as exc:
            with lock:
                errors.append(str(exc)[:80])

    def pages() -> None:
        while time.monotonic() - start < minutes * 60:
            _flood_page_times.extend(_page_times(base, 1))
            time.sleep(1)

    threads = [threading.Thread(target=pages)]
    threads[0].start()
    for i in range(total):
        delay = start + i * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, args=(i,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join(timeout=120)
    return latencies, codenames, errors


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 2 else float("nan")


def _report(args, latencies, codenames, errors, before, during, env) -> None:
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DALIL_", "DATABASE_URL"))})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from intake.crypto import CodenameKeys
    from intake.models import Submission

    stored = sum(1 for c in codenames if Submission.objects.filter(lookup=CodenameKeys(c).lookup).exists())
    print(f"sent {int(args.per_minute * args.minutes)} reports with a photo at {args.per_minute}/min for {args.minutes} min, {args.workers} gunicorn workers")
    print(f"accepted {len(latencies)}, errors {len(errors)}{' (' + errors[0] + ')' if errors else ''}")
    print(f"submission latency p50 {_pct(latencies, 50):.0f} ms, p95 {_pct(latencies, 95):.0f} ms (target < 500), p99 {_pct(latencies, 99):.0f} ms")
    print(f"nothing lost: {stored} of {len(codenames)} codenames find their report")
    print(f"internal page (sign-in) median: {statistics.median(before) * 1000:.0f} ms before, {statistics.median(during) * 1000 if during else float('nan'):.0f} ms during the flood")


if __name__ == "__main__":
    main()
