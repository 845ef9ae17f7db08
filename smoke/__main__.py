"""`make prod-smoke`: the README's production process set, on this machine, without Docker.

Runs README.md's production steps as written (smoke/readme.py substitutes the example names with
throw-away ones): the build, the secret and environment, the key files, the database roles, migrations and
grants, the first admin, then gunicorn (config.wsgi, debug off), a Celery worker and beat on a private
Redis, evidence on moto's S3 server, PostgreSQL (the local server, a database and roles of the run's own),
and Debian's nginx in front with docs/deploy/nginx.conf and a self-signed certificate. Through nginx over
HTTPS it checks what a user sees (smoke/checks.py, smoke/browser.py), then runs the README's prod_check.
Everything it started is stopped by pid; the database and roles are dropped. Target: under five minutes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smoke import browser, checks, services
from smoke.client import Client
from smoke.readme import ROOT, Substitutions, production_steps, step

BUDGET_SECONDS = 300
BASE_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
PASSWORD = "smoke-password-long-enough"
FIXTURE = """
from accounts import services
from django_otp.plugins.otp_totp.models import TOTPDevice
services.user_create(actor=None, system="smoke", username="smoke-cw", roles=["caseworker"], password={pw!r})
legal = services.user_create(actor=None, system="smoke", username="smoke-legal", roles=["legal"], password={pw!r})
device = TOTPDevice.objects.create(user=legal, name="smoke", confirmed=True)
print(device.key)
"""


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def environment(etc: Path) -> dict[str, str]:
    """What systemd's EnvironmentFile= gives the units: the README's environment file and nothing else."""
    env = dict(BASE_ENV)
    for line in (etc / "environment").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def install_steps(steps, subs: Substitutions, s3: dict[str, str], log: Path) -> None:
    """Steps 1 to 6 in one shell, in order, as an operator pastes them."""
    script = ["set -euo pipefail"]
    for item in steps:
        if item.title in ("The processes", "Check"):
            continue
        script += [f"echo '--- README step {item.number}. {item.title}'", subs.apply(item.code)]
        if item.title == "The environment":  # the README's S3 paragraph: add these to the file
            lines = "\n".join(f"{k}={v}" for k, v in s3.items())
            script.append(f"cat >> {subs.etc}/environment <<'ENV'\n{lines}\nENV\nset -a; . {subs.etc}/environment; set +a")
    with open(log, "wb") as out:
        result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=ROOT, env=BASE_ENV, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"the README's install steps failed (exit {result.returncode}):\n{tail}")


def start_processes(steps, subs: Substitutions, procs: services.Processes, env: dict[str, str]) -> None:
    names = {"gunicorn": "gunicorn", "worker": "celery-worker", "beat": "celery-beat"}
    for line in subs.apply(step(steps, "The processes").code).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        args = shlex.split(line)
        name = next(v for k, v in names.items() if k in args[0] or k in args)
        procs.start(name, [str(ROOT / a) if a.startswith(".venv/") else a for a in args], env=env)
    gunicorn = next(p for n, p in procs.started if n == "gunicorn")
    services.wait_for_port(int(subs.gunicorn.rsplit(":", 1)[1]), 60, gunicorn, "gunicorn")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def wait_for_beat(redis_addr: str, seconds: float) -> str:
    import redis

    from ops.tasks import BEAT_KEY

    client = redis.Redis.from_url(f"redis://{redis_addr}/0")
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if client.get(BEAT_KEY):
                return "Celery beat's heartbeat task has run on the worker"
            time.sleep(2)
    finally:
        client.close()
    raise AssertionError(f"no beat task ran within {seconds:.0f} s")


def user_checks(port: int, subs: Substitutions, env: dict[str, str], tmp: Path) -> list[str]:
    done = [checks.readyz(port), checks.russian(port)]
    totp_key = bytes.fromhex(manage(env, "shell", "-c", FIXTURE.format(pw=PASSWORD)).strip().splitlines()[-1])
    client = Client(port, source="127.0.0.2")
    assert checks.sign_in(client, "smoke-cw", PASSWORD), "the caseworker could not sign in through nginx"
    ip = psql("SELECT host(ip) FROM audit_auditevent WHERE action = 'auth.sign_in' ORDER BY seq DESC LIMIT 1", subs.database)
    assert ip == "127.0.0.2", f"the sign-in event records {ip!r}, not the client's 127.0.0.2"
    done.append("the sign-in audit event records the client's address (127.0.0.2), not nginx's")
    # Every page that brings its own scripts, the API documentation's included (Swagger UI's bundle, stylesheet
    # and start-up script); the security-key pages are behind a second factor: the browser brings them back.
    pages = ["/accounts/login/", "/", "/cases/new/", "/accounts/2fa/", "/api/tokens/", "/api/v1/docs/"]
    done.append(checks.assets(port, pages, client, expect=("swagger-ui-bundle.", "swagger-ui.", "api/swagger.")))
    behind = {}
    done += browser.run(f"https://localhost:{port}", tmp, {"caseworker": ("smoke-cw", PASSWORD),
                                                            "legal": ("smoke-legal", PASSWORD, totp_key)}, behind)
    done.append(checks.asset_urls(port, behind, client, expect=("accounts/webauthn.", "otp_webauthn")))
    done.append(checks.lockout_is_per_client(port, "smoke-cw", PASSWORD))
    return done


def main() -> int:
    started = time.monotonic()
    run_id = f"{os.getpid()}_{int(time.time()) % 100000}"
    tmp = Path(tempfile.mkdtemp(prefix="dalil-smoke-"))
    procs = services.Processes(tmp)
    subs = None
    try:
        redis_addr = services.redis(procs)
        s3 = services.moto_s3(procs, "dalil-smoke")
        gunicorn = f"127.0.0.1:{services.free_port()}"
        port = services.nginx(procs, tmp / "nginx", gunicorn)
        subs = Substitutions(etc=tmp / "etc", data=tmp / "data", backups=tmp / "backups",
                             https_origin=f"https://localhost:{port}", redis=redis_addr, gunicorn=gunicorn, run_id=run_id)
        steps = production_steps()
        install_steps(steps, subs, s3, tmp / "install.log")
        env = environment(subs.etc)
        start_processes(steps, subs, procs, env)
        done = user_checks(port, subs, env, tmp)
        done.append(wait_for_beat(redis_addr, max(10.0, BUDGET_SECONDS - 60 - (time.monotonic() - started))))
        print(manage(env, *shlex.split(step(steps, "Check").code.split("manage.py", 1)[1])).rstrip())
        done.append("the README's prod_check passes")
    except Exception as exc:
        print(f"prod-smoke FAILED after {time.monotonic() - started:.0f} s: {exc}")
        for name, _proc in procs.started:
            print(f"--- {name} log (last lines)\n{procs.tail(name)}")
        return 1
    finally:
        procs.stop()
        if subs is not None:
            psql(f"DROP DATABASE IF EXISTS {subs.database} WITH (FORCE)")
            for role in subs.roles:
                psql(f"DROP ROLE IF EXISTS {role}")
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    for line in done:
        print(f"ok  {line}")
    print(f"prod-smoke passed in {elapsed:.0f} s (budget {BUDGET_SECONDS} s)")
    return 0 if elapsed < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
