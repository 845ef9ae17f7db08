"""Dalil under load: gunicorn with 2 workers on PostgreSQL, 100,000 cases and 1,000,000 audit events.

    .venv/bin/python bench/load.py [--cases 100000] [--audit 1000000] [--seconds 60] [--steps 1,4,8,16]

Seeds a dedicated database (dalil_bench_load, made anew unless --reuse), starts gunicorn on
loopback, and drives a mix of case list (45%), case page (35%), event creation (10%) and file
download (10%) as caseworkers who each hold 1,000 cases, for --seconds at each concurrency step.
Prints requests/s, p50/p95/p99 latency, errors and PostgreSQL's connection count per step.
Target: no error, p95 under 250 ms at 16 concurrent users on a 2-core machine. Traffic goes
only to 127.0.0.1, every loop is bounded in time, and gunicorn is stopped at the end.
"""

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-long-enough"


def bench_keys() -> None:
    """Keys of the bench's own, kept under var/bench-keys so that --reuse finds the data readable."""
    import base64
    import secrets

    folder = ROOT / "var" / "bench-keys"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for purpose, env in (("kek", "DALIL_KEK_FILE"), ("audit-chain", "DALIL_AUDIT_KEY_FILE"), ("audit-signing", "DALIL_AUDIT_SIGNING_KEY_FILE")):
        path = folder / purpose  # one key line of its purpose (keys/keyfile.py)
        if not path.exists():
            path.write_text(f"dalil-key-v1:{purpose}:bench:" + base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        elif purpose == "kek" and path.read_text().startswith("bench:"):  # made before key purposes: same key, tagged
            path.write_text("dalil-key-v1:kek:" + path.read_text().strip())
        os.environ[env] = str(path)


def setup_django(db_url: str) -> None:
    bench_keys()
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DALIL_SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def create_database(name: str, fresh: bool) -> bool:
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip() == "1"
    if exists and not fresh:
        return False
    if exists:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE {name} WITH (FORCE)"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    return True


def seed(n_cases: int, n_audit: int, users: int) -> list[str]:
    """Bulk-load the data set. Returns the usernames of the bench caseworkers."""
    import datetime

    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from accounts.models import CaseUserObjectPermission
    from cases.models import Case, Event, Person
    from evidence.services import evidence_attach
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    admin = UserFactory(username="bench-admin")
    caseworker_group = Group.objects.get(name="caseworker")
    names = []
    workers = []
    for i in range(users):
        u = UserFactory(username=f"bench-cw{i}", password=PASSWORD)
        u.groups.add(caseworker_group)
        workers.append(u)
        names.append(u.username)
    rng = random.Random(7)
    nats = ["UZ", "TJ", "KG", "KZ"]
    batch = 5000
    case_ids = []
    for start in range(0, n_cases, batch):
        people = [
            Person(name_latin=f"Bench Person {i}", name_cyrillic=f"Тест Персона {i}", nationality=rng.choice(nats))
            for i in range(start, min(start + batch, n_cases))
        ]
        Person.objects.bulk_create(people)
        cases = [
            Case(reference=f"DAL-2024-{start + k:06d}", person=p, created_by=admin, updated_by=admin,
                 status=rng.choice(["intake", "active", "referred", "closed"]))
            for k, p in enumerate(people)
        ]
        Case.objects.bulk_create(cases)
        case_ids.extend(c.pk for c in cases)
    perms = list(Permission.objects.filter(codename__in=["view_case", "change_case", "download_evidence"], content_type__app_label="cases"))
    grants, granted = [], {}
    for w, user in enumerate(workers):
        mine = case_ids[w * 1000 : (w + 1) * 1000]
        granted[user.username] = mine
        grants += [CaseUserObjectPermission(user=user, permission=p, content_object_id=cid) for cid in mine for p in perms]
    CaseUserObjectPermission.objects.bulk_create(grants, batch_size=10000)
    events = []
    for cid in case_ids[: users * 1000]:
        for kind in ("recruitment", "detention", "contract"):
            events.append(Event(case_id=cid, type=kind, date=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                                description="Bench event description", created_by=admin))
    Event.objects.bulk_create(events, batch_size=5000)
    from cases.blind_index import person_index_update

    for person in Person.objects.filter(case__pk__in=case_ids[: users * 1000]):
        person_index_update(person=person)  # the granted people are searchable by name
    for cid in case_ids[: users * 1000 : 20]:
        evidence_attach(actor=admin, case=Case.objects.get(pk=cid), content=os.urandom(200_000), original_name="bench.bin")
    print(f"seeded {n_cases} cases, {len(events)} events in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    _seed_audit(n_audit, admin)
    print(f"seeded {n_audit} audit events in {time.perf_counter() - t0:.0f} s", flush=True)
    # What autovacuum would have done by the time a real installation holds this much: fresh planner
    # statistics and a visibility map, so that index-only scans stay index-only.
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "VACUUM ANALYZE", connection_db()], check=True)
    return names


def connection_db() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def _seed_audit(n: int, actor) -> None:
    """n audit events with a valid chain, loaded with COPY by the audit bench's loader."""
    from bench.audit import bulk_load

    bulk_load(n)


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            data = urllib.parse.urlencode(body)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.cookies.get("csrftoken", ""),
                            "Referer": "http://127.0.0.1/"})
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        payload = resp.read()
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return resp.status, payload

    def login(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request("POST", "/accounts/login/", {"username": username, "password": PASSWORD})
        if status not in (302, 303):
            raise RuntimeError(f"login of {username} failed with {status}")


def discover(port: int, username: str) -> tuple[list[str], list[str]]:
    client = Client(port)
    client.login(username)
    refs, files = set(), []
    for page in range(1, 8):
        _, body = client.request("GET", f"/?page={page}")
        refs.update(re.findall(rb"/cases/(DAL-\d{4}-\d+)/", body))
    for ref in list(refs)[:200]:
        _, body = client.request("GET", f"/cases/{ref.decode()}/")
        files += [m.decode() + "download/" for m in re.findall(rb'href="(/evidence/[^"]+/files/[0-9a-f-]+/)"', body)]
    return [r.decode() for r in refs], files


def run_step(port: int, users: list[str], concurrency: int, seconds: float, seen: dict) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(i: int) -> None:
        rng = random.Random(i)
        username = users[i % len(users)]
        refs, files = seen[username]
        client = Client(port)
        client.login(username)
        while time.monotonic() < deadline:
            roll = rng.random()
            ref = rng.choice(refs)
            if roll < 0.45:
                # A search names one person, as caseworkers do (the seeded names are "Bench Person <n>").
                # Searches are POSTed (a name never goes in a URL); the answer is a redirect to an opaque id.
                pick = rng.choice(["/", "/?status=active", "search"])
                if pick == "search":
                    method, path, body, ok = "POST", "/", {"q": "Bench Person " + str(int(ref.rsplit("-", 1)[1]))}, (302, 303)
                else:
                    method, path, body, ok = "GET", pick, None, (200,)
            elif roll < 0.80:
                method, path, body, ok = "GET", f"/cases/{ref}/", None, (200,)
            elif roll < 0.90:
                method, path, ok = "POST", f"/cases/{ref}/events/new/", (302, 303)
                body = {"type": "family_contact", "date": "2025-03", "description": "Called his sister."}
            else:
                method, path, body, ok = "GET", rng.choice(files) if files else "/", None, (200, 206)
            t = time.perf_counter()
            try:
                status, _ = client.request(method, path, body)
            except Exception:
                status = 0
                client = Client(port)
                client.login(users[i % len(users)])
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if status not in ok:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0] * 99
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "errors": errors[0]}


def pg_connections(db: str) -> int:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                          f"SELECT count(*) FROM pg_stat_activity WHERE datname='{db}'"], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--steps", default="1,4,8,16")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--db", default="dalil_bench_load")
    parser.add_argument("--reuse", action="store_true", help="keep an existing seeded database")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    fresh = create_database(args.db, fresh=not args.reuse)
    setup_django(db_url)
    users = seed(args.cases, args.audit, args.users) if fresh else [f"bench-cw{i}" for i in range(args.users)]

    env = {**os.environ, "DATABASE_URL": db_url, "DALIL_ALLOWED_HOSTS": "127.0.0.1", "DALIL_SECURE_COOKIES": "false"}
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        seen = {u: discover(args.port, u) for u in users}
        print(f"gunicorn 2 workers on :{args.port}; {len(users)} caseworkers, each sampling "
              f"{len(seen[users[0]][0])} of their cases and {len(seen[users[0]][1])} files")
        print(f"{'users':>5} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'pg conns':>8}")
        for step in [int(s) for s in args.steps.split(",")]:
            r = run_step(args.port, users, step, args.seconds, seen)
            print(f"{step:>5} {r['requests']:>8} {r['rps']:>7.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
                  f"{r['errors']:>6} {pg_connections(args.db):>8}", flush=True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)


if __name__ == "__main__":
    main()
