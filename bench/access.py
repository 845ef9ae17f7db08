"""Case-list cost of per-case access: a caseworker granted 1,000 of 100,000 cases vs an unrestricted superuser.

Run on PostgreSQL (it creates and drops its own database, dalil_bench_access by default):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dalil_bench_access DALIL_SECRET_KEY=dev .venv/bin/python bench/access.py

It seeds with bulk_create (protected fields are encrypted as usual), then times the case list page
(first page, filtered, searched) through the Django test client for both users in the same run, and
prints medians, the ratio caseworker/superuser (target <= 1.5) and the query count of each request
(target: the same for 1,000 visible cases as for 10).

Every case carries follow-ups, a note and two tags (issue 22): one for the superuser on every case, and on each of the caseworker's cases
two of their own (overdue, due this week or later, some done). The script then times "My work" for the caseworker
(target: under 100 ms of server time at 100,000 cases) and prints its query count.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dalil_bench_access")
os.environ.setdefault("DALIL_SECRET_KEY", "bench-only")
os.environ.setdefault("DALIL_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DALIL_AUDIT_KEY", "dalil-key-v1:audit-chain:bench:YmVuY2gtb25seS1hdWRpdC1rZXktMzItYnl0ZXMhISE=")  # a throwaway key for a throwaway database

TOTAL = int(os.environ.get("BENCH_CASES", 100_000))
GRANTED = int(os.environ.get("BENCH_GRANTED", 1_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 15))


from bench.pgdb import drop_database as _drop  # noqa: E402
from bench.pgdb import fresh_database as _database  # noqa: E402


def _seed():
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from accounts.models import CaseUserObjectPermission
    from accounts.roles import CASEWORKER
    from cases.models import Case, Event, Person
    from casework.models import FollowUp

    User = get_user_model()
    rng = random.Random(4)
    superuser = User.objects.create(username="bench-super", is_superuser=True, is_staff=True)
    caseworker = User.objects.create(username="bench-caseworker")
    caseworker.groups.add(Group.objects.get(name=CASEWORKER))
    nationalities = ["UZ", "TJ", "KG", "KZ", "TM"]
    statuses = ["intake", "active", "referred", "closed"]
    batch = 5_000
    t0 = time.perf_counter()
    for start in range(0, TOTAL, batch):
        n = min(batch, TOTAL - start)
        people = Person.objects.bulk_create(
            [Person(name_latin=f"Person {start + i} Karimov", nationality=rng.choice(nationalities)) for i in range(n)]
        )
        cases = Case.objects.bulk_create(
            [
                Case(reference=f"DAL-2020-{start + i:06d}", person=p, status=rng.choice(statuses), created_by=superuser, updated_by=superuser)
                for i, p in enumerate(people)
            ]
        )
        Event.objects.bulk_create(
            [Event(case=c, type=rng.choice(["detention", "recruitment", "contract"]), created_by=superuser) for c in cases]
        )
        FollowUp.objects.bulk_create(
            [FollowUp(case=c, what="Call the family back", assignee=superuser, due=_day(rng), created_by=superuser) for c in cases]
        )
    granted_ids = rng.sample(list(Case.objects.values_list("pk", flat=True)), GRANTED)
    for codename in ("view_case", "change_case"):
        perm = Permission.objects.get(content_type__app_label="cases", codename=codename)
        CaseUserObjectPermission.objects.bulk_create(
            [CaseUserObjectPermission(user=caseworker, permission=perm, content_object_id=pk) for pk in granted_ids]
        )
    _seed_my_work(rng, caseworker, granted_ids)
    print(f"seeded {TOTAL:,} cases, {GRANTED:,} granted to the caseworker, in {time.perf_counter() - t0:.0f} s")
    return superuser, caseworker


def _seed_extras(superuser):
    """A note and two tags on every case (casework.Note and CaseTag); run again on a kept database without them."""
    import random

    from cases.models import Case
    from casework.models_collab import Note
    from casework.models_tags import CaseTag, Tag

    ids = None
    t0 = time.perf_counter()
    if not Note.objects.exists():
        ids = list(Case.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 5_000):
            Note.objects.bulk_create([Note(case_id=pk, author=superuser, text="Spoke to the sister; she will send the contract") for pk in ids[start:start + 5_000]])
    if not CaseTag.objects.exists():
        ids = ids or list(Case.objects.values_list("pk", flat=True))
        rng = random.Random(7)
        tags = Tag.objects.bulk_create([Tag(name=f"Tag {n}", colour="blue", safe_for_statistics=n % 2 == 0, created_by=superuser) for n in range(12)])
        for start in range(0, len(ids), 5_000):
            CaseTag.objects.bulk_create([CaseTag(case_id=pk, tag=tag, added_by=superuser) for pk in ids[start:start + 5_000] for tag in rng.sample(tags, 2)])
    if ids is not None:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(f"added notes and tags to {len(ids):,} cases in {time.perf_counter() - t0:.0f} s")


def _day(rng):
    import datetime

    return datetime.date.today() + datetime.timedelta(days=rng.randint(-30, 60))


def _seed_my_work(rng, caseworker, granted_ids):
    """Two follow-ups of the caseworker's own on each of their cases (a third of them done), and the cases' last
    changes spread over a year, so that "changed this week" picks out a few."""
    from django.db import connection
    from django.utils import timezone

    from casework.models import FollowUp

    rows = []
    for pk in granted_ids:
        for done in (rng.random() < 0.33, rng.random() < 0.33):
            rows.append(FollowUp(case_id=pk, what="Ask about the contract", assignee=caseworker, due=_day(rng), created_by=caseworker,
                                 done_at=timezone.now() if done else None, done_by=caseworker if done else None))
    FollowUp.objects.bulk_create(rows)
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET updated_at = now() - random() * interval '365 days'")
        cur.execute("VACUUM ANALYZE")  # as autovacuum leaves a live database: visibility maps set, statistics fresh


def _client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.is_superuser:  # superusers must pass a second factor
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _measure(client, url, *, cpu=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if url.startswith("search:"):
        url = client.post("/", {"q": url[len("search:"):]})["Location"]  # each client's own search id

    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    times, cpu_times = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    if cpu:
        return statistics.median(times), len(ctx.captured_queries), statistics.median(cpu_times)
    return statistics.median(times), len(ctx.captured_queries)


KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep the seeded database, and time again on it without seeding


def _database_kept():
    import psycopg

    url = os.environ["DATABASE_URL"]
    try:
        with psycopg.connect(url) as conn:
            seeded = conn.execute("SELECT 1 FROM accounts_user WHERE username = 'bench-caseworker'").fetchone()
    except psycopg.Error:
        seeded = None
    if seeded:
        return None, url.rsplit("/", 1)[1]
    return _database()


def main():
    admin_url, name = _database_kept() if KEEP else _database()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        if admin_url is None:
            from django.contrib.auth import get_user_model

            superuser, caseworker = (get_user_model().objects.get(username=n) for n in ("bench-super", "bench-caseworker"))
        else:
            superuser, caseworker = _seed()
        _seed_extras(superuser)
        clients = {"caseworker": _client(caseworker), "superuser": _client(superuser)}
        pages = {
            "first page": "/",
            "filtered": "/?status=active&nationality=UZ",
            "searched": "search:DAL-2020-0004",  # POSTed, then its opaque result page is timed
        }
        from cases.selectors import cases_for

        print(f"visible: caseworker {cases_for(caseworker).count():,}, superuser {cases_for(superuser).count():,}")
        print(f"{'page':<12} {'caseworker ms':>14} {'superuser ms':>13} {'ratio':>6} {'queries cw/su':>14}")
        worst = 0.0
        for label, url in pages.items():
            cw_t, cw_q = _measure(clients["caseworker"], url)
            su_t, su_q = _measure(clients["superuser"], url)
            ratio = cw_t / su_t
            worst = max(worst, ratio)
            print(f"{label:<12} {cw_t * 1000:>14.1f} {su_t * 1000:>13.1f} {ratio:>6.2f} {cw_q:>7}/{su_q:<6}")
        print(f"worst ratio {worst:.2f} (target <= 1.5)")
        mw_t, mw_q, mw_cpu = _measure(clients["caseworker"], "/my-work/", cpu=True)
        print(f"my work, caseworker with {GRANTED:,} cases: {mw_t * 1000:.1f} ms server time ({mw_cpu * 1000:.1f} ms of it in Python), "
              f"{mw_q} queries (target < 100 ms)")
    finally:
        if not KEEP:
            _drop(admin_url, name)


if __name__ == "__main__":
    main()
