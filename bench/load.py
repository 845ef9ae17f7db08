"""Dalil under load: gunicorn as the README runs it (one worker per core) behind nginx over HTTPS, on PostgreSQL, with 100,000 cases and
1,000,000 audit events.

    .venv/bin/python bench/load.py [--cases 100000] [--audit 1000000] [--seconds 60] [--steps 1,4,8,16]

Seeds a dedicated database (dalil_bench_load, made anew unless --reuse), starts gunicorn on loopback and
Debian's nginx in front of it with docs/deploy/nginx.conf (as `make prod-smoke` does), and drives a mix of
case list (45%), case page (35%), event creation (10%) and file download (10%) as caseworkers who each hold
1,000 cases, for --seconds at each concurrency step. Before each step it drives /healthz alone, signed out, for
a third of that time: the framework's floor on this machine (every middleware, no session, no work), so that each step's throughput
is also printed as a ratio of it, a figure that travels between machines. Prints requests/s, the ratio,
p50/p95/p99 latency, errors and PostgreSQL's connection count per step, the server's CPU time per request (gunicorn,
nginx and the database's backends, from /proc: a figure that other work on the machine does not inflate) for the
mix and the floor and their ratio, then per view the server time,
queries and database time (from the Server-Timing header, ops/timing.py). Target: no error and a ratio of
at least 0.08 at 16 users. Traffic goes only to loopback, every loop is bounded in time, and gunicorn and
nginx are stopped at the end.
"""

import argparse
import http.client
import os
import random
import re
import runpy
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_seed import PASSWORD, create_database, seed, setup_django  # noqa: E402

TIMING = re.compile(r"app;dur=([\d.]+), db;dur=([\d.]+);desc=\"(\d+) queries\"")


class Client:
    """One user's keep-alive HTTPS connection to nginx, with its cookies."""

    def __init__(self, port: int):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the run's own throw-away certificate
        self.port = port
        self.conn = http.client.HTTPSConnection("localhost", port, timeout=30, context=context)
        self.cookies: dict[str, str] = {}
        self.timing: tuple[float, float, int] | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        origin = f"https://localhost:{self.port}"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": f"localhost:{self.port}"}
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            data = urllib.parse.urlencode(body)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.cookies.get("csrftoken", ""),
                            "Origin": origin, "Referer": origin + "/"})
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        payload = resp.read()
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        found = TIMING.search(resp.getheader("Server-Timing") or "")
        self.timing = (float(found.group(1)), float(found.group(2)), int(found.group(3))) if found else None
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


def pick_request(rng: random.Random, refs: list[str], files: list[str]) -> tuple[str, str, str, dict | None, tuple]:
    """(view, method, path, form, accepted statuses) of the mix's next request."""
    roll, ref = rng.random(), rng.choice(refs)
    if roll < 0.45:
        # A search names one person, as caseworkers do (the seeded names are "Bench Person <n>").
        # Searches are POSTed (a name never goes in a URL); the answer is a redirect to an opaque id.
        pick = rng.choice(["/", "/?status=active", "search"])
        if pick == "search":
            return "search", "POST", "/", {"q": "Bench Person " + str(int(ref.rsplit("-", 1)[1]))}, (302, 303)
        return "case list", "GET", pick, None, (200,)
    if roll < 0.80:
        return "case page", "GET", f"/cases/{ref}/", None, (200,)
    if roll < 0.90:
        return "event creation", "POST", f"/cases/{ref}/events/new/", {"type": "family_contact", "date": "2025-03",
                                                                        "description": "Called his sister."}, (302, 303)
    return "download", "GET", rng.choice(files) if files else "/", None, (200, 206)


def run_step(port: int, users: list[str], concurrency: int, seconds: float, seen: dict, *, floor: bool = False) -> dict:
    """Drive the mix (or /healthz alone, the floor) with `concurrency` users for `seconds`."""
    latencies: list[float] = []
    views: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    errors = [0]
    lock = threading.Lock()
    deadline = [0.0]
    # Every user signs in first (Argon2 is slow on purpose); the clock starts when the last one has.
    ready = threading.Barrier(concurrency + 1, action=lambda: deadline.__setitem__(0, time.monotonic() + seconds))

    def worker(i: int) -> None:
        rng = random.Random(i)
        username = users[i % len(users)]
        client = Client(port)
        if not floor:  # the floor is the framework alone: no session, no user, no second factor
            client.login(username)
        ready.wait()
        while time.monotonic() < deadline[0]:
            view, method, path, body, ok = ("floor", "GET", "/healthz", None, (200,)) if floor else pick_request(rng, *seen[username])
            t = time.perf_counter()
            try:
                status, _ = client.request(method, path, body)
            except Exception:
                status = 0
                client = Client(port)
                if not floor:
                    client.login(username)
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if client.timing:
                    views[view].append(client.timing)
                if status not in ok:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    ready.wait(120)
    started = time.perf_counter()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0] * 99
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "errors": errors[0], "views": views}


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def server_cpu_seconds(roots: dict[str, int], db: str) -> dict[tuple[str, int], float]:
    """CPU time used so far by each process of gunicorn, nginx and this database's PostgreSQL backends (user +
    system), by (component, pid): what requests cost the server, whatever else the machine is doing."""
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                          f"SELECT pid FROM pg_stat_activity WHERE datname='{db}'"], capture_output=True, text=True)
    groups = {name: _descendants(root) for name, root in roots.items()}
    groups["postgres"] = [int(p) for p in out.stdout.split() if p.strip().isdigit()]
    used = {}
    for name, pids in groups.items():
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[(name, pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def _per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """ms of CPU per request by component; a process started since `before` counts from its start (the bench
    keeps database connections open for its whole run, so none ends in between)."""
    parts: dict[str, float] = defaultdict(float)
    for (name, pid), seconds in after.items():
        parts[name] += (seconds - before.get((name, pid), 0.0)) * 1000 / max(requests, 1)
    return dict(parts)


def pg_connections(db: str) -> int:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                          f"SELECT count(*) FROM pg_stat_activity WHERE datname='{db}'"], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def print_views(views: dict[str, list[tuple[float, float, int]]]) -> None:
    print(f"\n{'view':<15} {'requests':>8} {'server ms':>9} {'queries':>7} {'db ms':>6}   (mean per request, from Server-Timing)")
    for view, rows in sorted(views.items(), key=lambda item: -statistics.fmean(r[0] for r in item[1])):
        print(f"{view:<15} {len(rows):>8} {statistics.fmean(r[0] for r in rows):>9.1f} "
              f"{statistics.fmean(r[2] for r in rows):>7.1f} {statistics.fmean(r[1] for r in rows):>6.1f}")


def start_web(db_url: str, folder: Path, procs, workers: int) -> tuple[int, dict[str, int]]:
    """gunicorn (the README's command) on loopback and nginx in front of it with docs/deploy/nginx.conf; nginx's port."""
    from smoke import services

    upstream = f"127.0.0.1:{services.free_port()}"
    port = services.nginx(procs, folder / "nginx", upstream)
    env = {**os.environ, "DATABASE_URL": db_url, "DALIL_ALLOWED_HOSTS": "localhost", "DALIL_BEHIND_PROXY": "true",
           "DALIL_CSRF_TRUSTED_ORIGINS": f"https://localhost:{port}", "DALIL_SERVER_TIMING": "true",
           "DALIL_DB_CONN_MAX_AGE": "3600"}  # connections live through the run: each backend's CPU is counted whole
    # The README's command (config/gunicorn.conf.py: one worker per core), with --workers only when asked.
    gunicorn = procs.start("gunicorn", [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", str(ROOT / "config/gunicorn.conf.py"),
                                        *(["--workers", str(workers)] if workers else []), "--bind", upstream, "--log-level", "warning"], env=env)
    services.wait_for_port(int(upstream.rsplit(":", 1)[1]), 60, gunicorn, "gunicorn")
    return port, {name: p.pid for name, p in procs.started if name in ("gunicorn", "nginx")}


def drive(port: int, users: list[str], steps: list[int], seconds: float, db: str, workers: int, roots: dict[str, int]) -> None:
    seen = {u: discover(port, u) for u in users}
    print(f"gunicorn {workers} workers behind nginx (HTTPS) on :{port}; {len(users)} caseworkers, each sampling "
          f"{len(seen[users[0]][0])} of their cases and {len(seen[users[0]][1])} files")
    print(f"{'users':>5} {'requests':>8} {'req/s':>7} {'floor/s':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6} {'pg conns':>8} {'cpu ms/req':>10} {'floor cpu':>9} {'cpu ratio':>9}")
    views: dict[str, list] = defaultdict(list)
    cpu_parts = []
    for step in steps:
        before = server_cpu_seconds(roots, db)
        floor = run_step(port, users, step, seconds / 3, seen, floor=True)
        middle = server_cpu_seconds(roots, db)
        r = run_step(port, users, step, seconds, seen)
        after = server_cpu_seconds(roots, db)
        floor_parts, mix_parts = _per_request(before, middle, floor["requests"]), _per_request(middle, after, r["requests"])
        floor_cpu, mix_cpu = sum(floor_parts.values()), sum(mix_parts.values())
        cpu_parts.append((step, mix_parts))
        for view, rows in [*r["views"].items(), *floor["views"].items()]:
            views[view] += rows
        print(f"{step:>5} {r['requests']:>8} {r['rps']:>7.1f} {floor['rps']:>7.1f} {r['rps'] / floor['rps']:>6.3f} "
              f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['errors'] + floor['errors']:>6} {pg_connections(db):>8} "
              f"{mix_cpu:>10.1f} {floor_cpu:>9.2f} {floor_cpu / mix_cpu:>9.3f}", flush=True)
    for step, parts in cpu_parts:
        print(f"server CPU per mix request at {step} users: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in parts.items()))
    print_views(views)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--steps", default="1,4,8,16")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: the README's command, one per core)")
    parser.add_argument("--db", default="dalil_bench_load")
    parser.add_argument("--reuse", action="store_true", help="keep an existing seeded database")
    args = parser.parse_args()

    from smoke import services

    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    fresh = create_database(args.db, fresh=not args.reuse)
    setup_django(db_url)
    users = seed(args.cases, args.audit, args.users) if fresh else [f"bench-cw{i}" for i in range(args.users)]
    folder = Path(tempfile.mkdtemp(prefix="dalil-load-"))
    procs = services.Processes(folder)
    try:
        port, roots = start_web(db_url, folder, procs, args.workers)
        workers = args.workers or runpy.run_path(str(ROOT / "config/gunicorn.conf.py"))["workers"]
        drive(port, users, [int(s) for s in args.steps.split(",")], args.seconds, args.db, workers, roots)
    finally:
        procs.stop()


if __name__ == "__main__":
    main()
