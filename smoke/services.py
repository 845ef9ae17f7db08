"""Throw-away services for the smoke run, each a child process stopped by its pid: Redis, moto's S3 server,
nginx with docs/deploy/nginx.conf and a self-signed certificate, and the README's own processes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from smoke.readme import ROOT

VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float, proc: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before it listened on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds:.0f} s")


class Processes:
    """Every process the run starts, with its log; stop() ends them by pid, newest first."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], *, env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((name, proc))
        return proc

    def stop(self) -> None:
        for _name, proc in reversed(self.started):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in reversed(self.started):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def redis(procs: Processes) -> str:
    port = free_port()
    proc = procs.start("redis", [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no"])
    wait_for_port(port, 20, proc, "redis-server")
    return f"127.0.0.1:{port}"


def moto_s3(procs: Processes, bucket: str) -> dict[str, str]:
    """moto's server mode speaking S3 on loopback, with the bucket made; returns the DALIL_S3_* settings."""
    port = free_port()
    proc = procs.start("moto", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)])
    wait_for_port(port, 30, proc, "moto_server")
    endpoint = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(f"{endpoint}/{bucket}", method="PUT")
    urllib.request.urlopen(request, timeout=10).close()  # nosec B310  # loopback http, our own moto server
    return {"DALIL_S3_BUCKET": bucket, "DALIL_S3_ENDPOINT_URL": endpoint, "DALIL_S3_REGION": "us-east-1",
            "DALIL_S3_ACCESS_KEY_ID": "smoke", "DALIL_S3_SECRET_ACCESS_KEY": "smoke-secret"}


def ensure_nginx() -> str:
    """Debian's nginx: installed with apt-get when we are root and it is absent."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("nginx is not installed and cannot be installed here (needs root and apt-get)")
    print("smoke: installing Debian's nginx", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env, stdout=subprocess.DEVNULL)
    return "/usr/sbin/nginx"


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def nginx_conf(folder: Path, port: int, upstream: str) -> Path:
    """docs/deploy/nginx.conf as written, with the smoke run's port, certificate, upstream and log."""
    cert, key = self_signed_cert(folder)
    server = (ROOT / "docs" / "deploy" / "nginx.conf").read_text()
    server = re.sub(r"listen 443 ssl( http2)?;", rf"listen 127.0.0.1:{port} ssl\1;", server)
    server = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", server)
    server = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", server)
    server = re.sub(r"access_log\s+\S+;", f"access_log {folder}/access.log;", server)
    server = server.replace("http://127.0.0.1:8001", f"http://{upstream}").replace("dalil.example.org", "localhost")
    temp = "".join(f"    {name}_temp_path {folder}/{name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 2;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        + "events { worker_connections 512; }\n"
        + f"http {{\n    include /etc/nginx/mime.types;\n{temp}{server}\n}}\n"
    )
    return conf


def nginx(procs: Processes, folder: Path, upstream: str) -> int:
    binary = ensure_nginx()
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = nginx_conf(folder, port, upstream)
    subprocess.run([binary, "-t", "-q", "-p", str(folder), "-c", str(conf)], check=True)
    proc = procs.start("nginx", [binary, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"])
    wait_for_port(port, 20, proc, "nginx")
    return port
