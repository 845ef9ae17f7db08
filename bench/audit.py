"""Audit log costs, on PostgreSQL (it creates and drops its own database, dalil_bench_audit by default):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dalil_bench_audit DALIL_SECRET_KEY=dev .venv/bin/python bench/audit.py

1. 1,000 case-page views with auditing and 1,000 without (the view's audit_read replaced by a no-op),
   interleaved in blocks in the same run: prints the overhead ratio (target <= 1.15).
2. verify_audit over 1,000,000 events (bulk-loaded with COPY, with a correct chain): prints seconds and
   events per second for the chain and the tree together (target <= 10 s on one core).
3. The time to append one event with 1 and with 8 concurrent writers (threads, each with its own connection).
BENCH_EVENTS, BENCH_VIEWS change the sizes.
"""

import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dalil_bench_audit")
os.environ.setdefault("DALIL_SECRET_KEY", "bench-only")
os.environ.setdefault("DALIL_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DALIL_2FA_REQUIRED_FOR", "")
os.environ.setdefault("DALIL_AUDIT_KEY", "dalil-key-v1:audit-chain:bench:YmVuY2gtb25seS1hdWRpdC1rZXktMzItYnl0ZXMhISE=")  # throwaway keys, throwaway database
os.environ.setdefault("DALIL_AUDIT_SIGNING_KEY", "dalil-key-v1:audit-signing:bench:YmVuY2gtb25seS1zaWduaW5nLWtleS0zMi1ieXRlcyE=")
os.environ.setdefault("DALIL_AUDIT_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="dalil-bench-audit-"))

EVENTS = int(os.environ.get("BENCH_EVENTS", 1_000_000))
VIEWS = int(os.environ.get("BENCH_VIEWS", 1_000))


from bench.pgdb import drop_database as _drop  # noqa: E402
from bench.pgdb import fresh_database as _database  # noqa: E402


def bench_page_views():
    from django.contrib.auth.models import Group
    from django.test import Client

    import cases.views
    from accounts.roles import CASEWORKER
    from tests.factories import UserFactory, make_case

    user = UserFactory(username="bench-caseworker")
    user.groups.add(Group.objects.get(name=CASEWORKER))
    case = make_case(actor=user)
    client = Client()
    client.force_login(user)
    url = f"/cases/{case.reference}/"
    assert client.get(url).status_code == 200
    real = cases.views.audit_read

    def noop(**kwargs):
        return None

    timings = {True: [], False: []}
    block = 50
    for start in range(0, VIEWS, block):
        for audited in (True, False) if (start // block) % 2 == 0 else (False, True):
            cases.views.audit_read = real if audited else noop
            t0 = time.perf_counter()
            for _ in range(min(block, VIEWS - start)):
                response = client.get(url)
            timings[audited].append(time.perf_counter() - t0)
            assert response.status_code == 200
    cases.views.audit_read = real
    with_audit, without = sum(timings[True]), sum(timings[False])
    print(f"case page x{VIEWS}: with auditing {with_audit:.2f} s ({with_audit / VIEWS * 1000:.2f} ms/view), "
          f"without {without:.2f} s ({without / VIEWS * 1000:.2f} ms/view), overhead ratio {with_audit / without:.3f} (target <= 1.15)")


def bulk_load(n):
    """Append n events with a correct chain, straight through COPY (what audit_record would have written)."""
    import datetime as dt
    import json
    import uuid

    from django.db import connection

    from audit import chain, keys
    from audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").first()
    seq0 = last.seq + 1 if last else 0
    previous = bytes.fromhex(last.mac) if last else chain.GENESIS
    key = keys.audit_key()
    base = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    targets = [str(uuid.uuid4()) for _ in range(500)]
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    t0 = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cur, cur.copy(
        "COPY audit_auditevent (seq, mac, at, actor_id, actor_label, action, target_type, target_id, case_ref, ip,"
        " user_agent, fields, data) FROM STDIN"
    ) as copy:
        for i in range(n):
            seq = seq0 + i
            at = base + dt.timedelta(seconds=seq)
            if i % 10 == 0:
                action, fields, data = "case.updated", ["status", "summary"], {"contacts": 1}
            else:
                action, fields, data = "case.viewed", [], {}
            target = targets[i % 500]
            ref = f"DAL-2026-{i % 500:04d}"
            ip = f"10.0.{i % 7}.{i % 250 + 1}"
            content = chain.canonical(seq, chain.format_at(at), None, "caseworker-7", action, "cases.case", target, ref,
                                      ip, agent, fields, data)
            previous = chain.next_mac(key, previous, content)
            copy.write_row((seq, previous.hex(), at, None, "caseworker-7", action, "cases.case", target, ref, ip, agent,
                            json.dumps(fields), json.dumps(data)))
    raw.commit()
    print(f"bulk load: {n:,} chained events in {time.perf_counter() - t0:.1f} s")


def bench_verify():
    from django.core.management import call_command

    bulk_load(EVENTS - _count())
    out = io.StringIO()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    call_command("verify_audit", "--no-stored", stdout=out)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    count = _count()
    print(f"verify_audit over {count:,} events: {wall:.2f} s wall, {cpu:.2f} s CPU in this process, "
          f"{count / wall:,.0f} events/s (target <= 10 s)  [{out.getvalue().strip()[:60]}...]")
    t0 = time.perf_counter()
    call_command("audit_checkpoint", stdout=io.StringIO())
    print(f"audit_checkpoint over {count:,} events (verify + sign + store + publish): {time.perf_counter() - t0:.2f} s")


def _count():
    from audit.models import AuditEvent

    return AuditEvent.objects.count()


def bench_append(writers, per_writer=200):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from audit.services import audit_read

    user = get_user_model().objects.get(username="bench-caseworker")
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def run():
        mine = []
        barrier.wait()
        for i in range(per_writer):
            t0 = time.perf_counter()
            audit_read(actor=user, action="case.viewed", data={"i": i})
            mine.append(time.perf_counter() - t0)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(writers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    p = lambda q: latencies[int(q * (len(latencies) - 1))] * 1000  # noqa: E731
    print(f"append, {writers} writer(s): median {p(0.5):.2f} ms, p95 {p(0.95):.2f} ms, "
          f"{len(latencies) / wall:,.0f} events/s overall")


def main():
    admin_url, name = _database()
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        bench_page_views()
        bench_append(1)
        bench_append(8)
        bench_verify()
    finally:
        _drop(admin_url, name)


if __name__ == "__main__":
    main()
