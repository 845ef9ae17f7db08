"""Protected fields at scale: 100,000 people on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dalil_bench_fields DALIL_SECRET_KEY=dev \
        .venv/bin/python bench/fields.py [--people 100000]

Builds its own database (dropped and re-created: never point it at real data), loads N people as
plaintext with COPY, times the in-place encryption migration (seal + blind index), then times the case
list page (50 rows), a name search and a case page through the Django test client, and in the same run
the time those pages spend opening sealed values and computing index tokens. Prints the share.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/fields.py needs DATABASE_URL pointing at a PostgreSQL database it may drop and re-create")
    os.environ.setdefault("DALIL_SECRET_KEY", "bench")
    os.environ.setdefault("DALIL_AUDIT_KEY", "dalil-key-v1:audit-chain:bench:" + "A" * 43 + "=")
    _fresh_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cases import services

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", "bench-password-123")
    # One case through the services: it makes the field and index keys (and the counter).
    services.case_create(actor=admin, person={"name_latin": "Key Maker", "nationality": "KZ"})
    _load_plaintext(admin, args.people)
    _migrate_in_place()
    _time_pages(_caseworker_client(), args.repeat)


def _fresh_database(url: str) -> None:
    import psycopg

    dbname = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dbname}"')


def _load_plaintext(admin, people: int) -> None:
    """Plaintext people and cases with COPY, as an old database would hold them."""
    from django.db import connection

    first = ["Rustam", "Dilshod", "Jasur", "Farrukh", "Azamat", "Yerlan", "Merdan", "Timur", "Sardor", "Bakyt"] * 30
    first = [f"{n}{i // 10 if i >= 10 else ''}" for i, n in enumerate(first)]
    last = [f"Nysanbaev{i}" for i in range(2000)]
    t0 = time.perf_counter()
    year = 2020
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY cases_person (id, name_latin, name_cyrillic, aliases, sex, birth_date, birth_date_precision, nationality,"
            " status_in_russia, home_region) FROM STDIN"
        ) as copy:
            person_ids = []
            for i in range(people):
                pk = uuid.uuid4()
                person_ids.append(pk)
                copy.write_row((pk, f"{first[i % len(first)]} {last[i % len(last)]}", f"Рустам Нысанбаев{i % 2000}", "",
                                "u", f"19{60 + i % 40}-0{1 + i % 9}-1{i % 10}", "day", "UZ", "migrant", "Fergana"))
        with raw.cursor().copy(
            "COPY cases_case (id, reference, person_id, status, pathway, whereabouts, whereabouts_detail, risk_family_charges,"
            " risk_reprisal, risk_urgent_medical, is_sensitive, notes, closure_reason, created_at, created_by_id, updated_at,"
            " updated_by_id) FROM STDIN"
        ) as copy:
            for i, pk in enumerate(person_ids):
                copy.write_row((uuid.uuid4(), f"BEN-{year}-{i:06d}", pk, "active", "prison", "front", "Seen near the front",
                                False, False, False, False, "Sister called twice; asks for news.", "", "2025-01-01T00:00:00Z",
                                admin.pk, f"2025-01-01T00:{i % 60:02d}:{i % 60:02d}Z", admin.pk))
    load = time.perf_counter() - t0
    print(f"loaded {people:,} plaintext people and cases with COPY in {load:.1f} s")


def _migrate_in_place() -> None:
    """The migration's work: seal in place, then the blind index."""
    from cases import blind_index
    from cases.protect import seal_plaintext_rows

    t0 = time.perf_counter()
    sealed = seal_plaintext_rows(app_label="cases", batch_size=2000)
    seal_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    indexed = blind_index.rebuild_index(batch_size=2000)
    index_s = time.perf_counter() - t0
    print(f"migration: sealed {sealed:,} rows (people + cases) in {seal_s:.1f} s, indexed {indexed:,} people in {index_s:.1f} s"
          f" -> {seal_s + index_s:.1f} s in all")


def _caseworker_client():
    """A caseworker (no second factor owed) who holds view/change grants on every case, as the access rules want."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from django.test import Client

    from accounts.models import CaseUserObjectPermission
    from accounts.roles import CASEWORKER
    from cases.models import Case

    worker = get_user_model().objects.create_user("bench-caseworker", "worker@example.org", "bench-password-123")
    worker.groups.add(Group.objects.get(name=CASEWORKER))
    perms = list(Permission.objects.filter(content_type__app_label="cases", codename__in=["view_case", "change_case"]))
    case_ids = list(Case.objects.values_list("pk", flat=True))
    CaseUserObjectPermission.objects.bulk_create(
        [CaseUserObjectPermission(user=worker, permission=p, content_object_id=c) for c in case_ids for p in perms],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    client = Client()
    client.force_login(worker)
    return client


def _time_pages(client, repeat: int) -> None:
    from cases.models import Case

    case = Case.objects.order_by("-updated_at").select_related("person").first()
    pages = {
        "case list (50 rows)": "/",
        # Searches are POSTed and shown under an opaque id (cases/searches.py): time the result page.
        "name search (Cyrillic)": client.post("/", {"q": "Нысанбаев17"})["Location"],
        "case page": f"/cases/{case.reference}/",
    }
    print(f"{'page':<26}{'median ms':>10}{'crypto ms':>11}{'share':>8}  status")
    worst = 0.0
    for label, path in pages.items():
        median, share, status = _time_page(client, path, repeat)
        worst = max(worst, share)
        print(f"{label:<26}{median * 1000:>10.1f}{share * median * 1000:>11.2f}{share:>8.1%}  {status}")
    print(f"largest share of page time spent decrypting / computing index tokens: {worst:.1%} (target < 20%)")
    print("(page times without the profiler; the share is measured on the same page under cProfile)")


def _time_page(client, path: str, repeat: int) -> tuple[float, float, int]:
    """The median time of a page, the median share of it inside the sealing/index code, and its status."""
    from cases import blind_index
    from keys import aead, store

    crypto_funcs = {
        (aead.__file__, "open_text"), (aead.__file__, "seal_text"),
        (blind_index.__file__, "index_value"), (blind_index.__file__, "person_name_tokens"),
    }
    store.forget_keys()
    client.get(path)  # warm: keys unwrapped once per process
    times, shares = [], []
    status = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t0)
        status = response.status_code
        # The same page again under the profiler: the share of its time inside the sealing/index code.
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        client.get(path)
        profiler.disable()
        profiled = time.perf_counter() - t0
        stats = pstats.Stats(profiler, stream=io.StringIO())
        spent = sum(v[3] for k, v in stats.stats.items() if (k[0], k[2]) in crypto_funcs)  # cumulative time
        shares.append(spent / profiled)
    times.sort()
    shares.sort()
    return times[len(times) // 2], shares[len(shares) // 2], status


if __name__ == "__main__":
    main()
