"""Seeding for bench/load.py: a dedicated PostgreSQL database with cases, grants, events, files and a
valid audit chain, and the bench's own keys (kept under var/bench-keys so that --reuse finds the data readable)."""

import os
import random
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.roles import CASEWORKER
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    admin = UserFactory(username="bench-admin")
    caseworker_group = Group.objects.get(name=CASEWORKER)
    workers = []
    for i in range(users):
        u = UserFactory(username=f"bench-cw{i}", password=PASSWORD)
        u.groups.add(caseworker_group)
        workers.append(u)
    case_ids = _seed_cases(n_cases, admin)
    _seed_grants(workers, case_ids)
    n_events = _seed_events_and_files(case_ids[: users * 1000], admin)
    print(f"seeded {n_cases} cases, {n_events} events in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    _seed_audit(n_audit, admin)
    print(f"seeded {n_audit} audit events in {time.perf_counter() - t0:.0f} s", flush=True)
    # What autovacuum would have done by the time a real installation holds this much: fresh planner
    # statistics and a visibility map, so that index-only scans stay index-only.
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "VACUUM ANALYZE", connection_db()], check=True)
    return [u.username for u in workers]


def _seed_cases(n_cases: int, admin) -> list:
    from cases.models import Case, Person

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
    return case_ids


def _seed_grants(workers: list, case_ids: list) -> None:
    from django.contrib.auth.models import Permission

    from accounts.models import CaseUserObjectPermission

    perms = list(Permission.objects.filter(codename__in=["view_case", "change_case", "download_evidence"], content_type__app_label="cases"))
    grants = []
    for w, user in enumerate(workers):
        mine = case_ids[w * 1000 : (w + 1) * 1000]
        grants += [CaseUserObjectPermission(user=user, permission=p, content_object_id=cid) for cid in mine for p in perms]
    CaseUserObjectPermission.objects.bulk_create(grants, batch_size=10000)


def _seed_events_and_files(granted: list, admin) -> int:
    """Three events per granted case, the granted people searchable by name, a file on every 20th case."""
    import datetime

    from cases.blind_index import person_index_update
    from cases.models import Case, Event, Person
    from evidence.services import evidence_attach

    rng = random.Random(11)
    events = []
    for cid in granted:
        for kind in ("recruitment", "detention", "contract"):
            events.append(Event(case_id=cid, type=kind, date=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                                description="Bench event description", created_by=admin))
    Event.objects.bulk_create(events, batch_size=5000)
    for person in Person.objects.filter(case__pk__in=granted):
        person_index_update(person=person)
    for cid in granted[::20]:
        evidence_attach(actor=admin, case=Case.objects.get(pk=cid), content=os.urandom(200_000), original_name="bench.bin")
    return len(events)


def connection_db() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def _seed_audit(n: int, actor) -> None:
    """n audit events with a valid chain, loaded with COPY by the audit bench's loader."""
    from bench.audit import bulk_load

    bulk_load(n)
