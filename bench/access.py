"""Case-list cost of per-case access: a caseworker granted 1,000 of 100,000 cases vs an unrestricted superuser.

Run on PostgreSQL (it creates and drops its own database, dalil_bench_access by default):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dalil_bench_access DALIL_SECRET_KEY=dev .venv/bin/python bench/access.py

It seeds with bulk_create (protected fields are encrypted as usual), then times the case list page
(first page, filtered, searched) through the Django test client for both users in the same run, and
prints medians, the ratio caseworker/superuser (target <= 1.5) and the query count of each request
(target: the same for 1,000 visible cases as for 10).
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
    perm = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    granted_ids = rng.sample(list(Case.objects.values_list("pk", flat=True)), GRANTED)
    CaseUserObjectPermission.objects.bulk_create(
        [CaseUserObjectPermission(user=caseworker, permission=perm, content_object_id=pk) for pk in granted_ids]
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"seeded {TOTAL:,} cases, {GRANTED:,} granted to the caseworker, in {time.perf_counter() - t0:.0f} s")
    return superuser, caseworker


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


def _measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if url.startswith("search:"):
        url = client.post("/", {"q": url[len("search:"):]})["Location"]  # each client's own search id

    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def main():
    admin_url, name = _database()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        superuser, caseworker = _seed()
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
    finally:
        _drop(admin_url, name)


if __name__ == "__main__":
    main()
