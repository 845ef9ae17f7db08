"""Where a case page's time goes, in-process: queries, template rendering and key unwrapping.

    .venv/bin/python bench/case_page.py [--db dalil_bench_load] [--pages 50]

Uses the database bench/load.py seeded (run that first). Renders --pages case pages of one bench caseworker
through Django's test client (every middleware, the real view) and prints, per page, the mean wall time and
how much of it went to SQL (count and time), to template rendering, to opening sealed fields (AES-GCM) and to
unwrapping data keys with the key-encryption key. Nothing leaves the process.
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def timed(spent: dict, name: str, module, attribute: str):
    """Add the time spent in module.attribute (outermost calls only) to spent[name] while the block runs."""
    original = getattr(module, attribute)
    depth = [0]

    def wrapper(*args, **kwargs):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[name] += time.perf_counter() - started

    setattr(module, attribute, wrapper)
    try:
        yield
    finally:
        setattr(module, attribute, original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="dalil_bench_load")
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()

    from bench.load_seed import setup_django

    setup_django(f"postgres://postgres@127.0.0.1:5432/{args.db}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database seeded by an older checkout
    from django.conf import settings
    from django.db import connection
    from django.template import base as template_base
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import CaseUserObjectPermission, User
    from cases.models import Case
    from keys import fields as sealed_fields
    from keys import ring

    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.get(username="bench-cw0")
    client = Client()
    client.force_login(user)
    granted = CaseUserObjectPermission.objects.filter(user=user).values("content_object_id")
    refs = list(Case.objects.filter(pk__in=granted).order_by("pk").values_list("reference", flat=True)[: args.pages + 5])
    for ref in refs[:5]:
        client.get(f"/cases/{ref}/")  # warm: caches, connections, compiled templates
    spent: dict[str, float] = defaultdict(float)
    walls, queries, sql = [], [], []
    with timed(spent, "template", template_base.Template, "render"), timed(spent, "open fields", sealed_fields, "open_text"), \
            timed(spent, "unwrap keys", ring, "unwrap"):
        for ref in refs[5:]:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert client.get(f"/cases/{ref}/").status_code == 200
                walls.append(time.perf_counter() - started)
            queries.append(len(captured.captured_queries))
            sql.append(sum(float(q["time"]) for q in captured.captured_queries))
    n = len(walls)
    print(f"{n} case pages of bench-cw0, mean per page:")
    print(f"  wall            {statistics.fmean(walls) * 1000:7.1f} ms")
    print(f"  SQL             {statistics.fmean(sql) * 1000:7.1f} ms in {statistics.fmean(queries):.1f} queries")
    for name in ("template", "open fields", "unwrap keys"):
        print(f"  {name:<15} {spent[name] / n * 1000:7.1f} ms" + ("  (includes the SQL of lazy querysets it runs)" if name == "template" else ""))


if __name__ == "__main__":
    main()
