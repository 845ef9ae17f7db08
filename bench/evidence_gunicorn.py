"""The evidence bench's upload and download against a gunicorn worker on loopback (bench/evidence.py --gunicorn).

Peak RSS here is the server worker's VmHWM, reset between the timed steps.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.evidence import MIB, ROOT, _expected_sha256, _multipart, _source


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_bench(total: int, env: dict, data_dir: Path, info: dict) -> dict:
    """`info`: the bench user's session and case, as bench.evidence._http_setup made them."""
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", "900", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(data_dir / "gunicorn.log", "w"),
    )
    try:
        memory = _WorkerMemory(server.pid, port)
        cookie = f"{info['cookie']}={info['session']}; csrftoken={secrets.token_hex(16)}"  # 32 characters: a valid token
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        memory.reset_peak()
        up_secs, location = _http_upload(conn, info["reference"], cookie, total)
        up_peak = memory.peak()
        memory.reset_peak()
        down_secs = _http_download(conn, location.rstrip("/") + "/download/", cookie, total)
        return {
            "upload": {"seconds": up_secs, "mb_s": total / up_secs / 1e6, "peak_rss_mib": up_peak},
            "download": {"seconds": down_secs, "mb_s": total / down_secs / 1e6, "peak_rss_mib": memory.peak()},
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


class _WorkerMemory:
    """The peak resident memory of gunicorn's one worker, reset between the timed steps."""

    def __init__(self, master_pid: int, port: int):
        import psutil

        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        master = psutil.Process(master_pid)
        self.worker = (master.children() or [master])[0]

    def reset_peak(self) -> None:
        try:
            Path(f"/proc/{self.worker.pid}/clear_refs").write_text("5")
        except OSError:
            pass

    def peak(self) -> float:
        m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{self.worker.pid}/status").read_text())
        return int(m.group(1)) / 1024 if m else self.worker.memory_info().rss / MIB


def _http_upload(conn, reference: str, cookie: str, total: int) -> tuple[float, str]:
    """Stream `total` bytes to the upload form; returns the seconds taken and the new file's address."""
    boundary, head, tail = _multipart(csrf=cookie.rsplit("csrftoken=", 1)[1])
    t = time.perf_counter()
    conn.putrequest("POST", f"/evidence/{reference}/upload/")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + total + len(tail)))
    conn.putheader("Cookie", cookie)
    conn.endheaders()
    conn.send(head)
    for block in _source(total):
        conn.send(block)
    conn.send(tail)
    response = conn.getresponse()
    response.read()
    seconds = time.perf_counter() - t
    location = response.getheader("Location") or ""
    if response.status != 302 or "/files/" not in location:
        raise SystemExit(f"upload failed: HTTP {response.status} {location}")
    return seconds, location


def _http_download(conn, url: str, cookie: str, total: int) -> float:
    """Download the file again and check it is the bytes sent; returns the seconds taken."""
    t = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": cookie})
    response = conn.getresponse()
    digest, got = hashlib.sha256(), 0
    while chunk := response.read(MIB):
        digest.update(chunk)
        got += len(chunk)
    seconds = time.perf_counter() - t
    if response.status != 200 or got != total:
        raise SystemExit(f"download failed: HTTP {response.status}, {got} bytes")
    assert digest.hexdigest() == _expected_sha256(total), "downloaded content differs"
    return seconds
