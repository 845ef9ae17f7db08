"""Referral build cost against a large audit log, on PostgreSQL (its own throw-away database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dalil_bench_referrals DALIL_SECRET_KEY=dev .venv/bin/python bench/referrals.py

A case with 20 evidence files (64 KiB each); the log is filled with chained events (COPY) up to each size in
BENCH_SIZES (default 100,000 and 1,000,000); the beat's full checkpoint runs once per size (it verifies the
whole chain and extends the stored tree state); then each exhibit is viewed (new custody events after that
checkpoint) and a referral with the 20 exhibits is built: a checkpoint extended from the stored state, 20
custody histories proven, the package written. Prints the build's wall time (target < 10 s at 1,000,000) and its
peak Python memory (tracemalloc, a second build), which stays flat as the log grows.
"""

import base64
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dalil_bench_referrals")
from bench import audit as audit_bench  # noqa: E402  (sets the bench's settings in the environment)

os.environ["DALIL_AUDIT_CHECKPOINT_DIR"] = tempfile.mkdtemp(prefix="dalil-bench-referrals-")
os.environ.setdefault("DALIL_KEK", "dalil-key-v1:kek:bench:" + base64.b64encode(secrets.token_bytes(32)).decode())  # throwaway
os.environ.setdefault("DALIL_TSA_URL", "")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
EXHIBITS = 20


def _setup():
    from referrals import services
    from tests.cast import role_user
    from tests.referrals.conftest import attach, build_case

    caseworker = role_user("caseworker", username="bench-cw")
    legal = role_user("legal", username="bench-legal")
    case, _events, _source = build_case(caseworker, legal)
    files = [attach(caseworker, case, content=os.urandom(64 * 1024), name=f"scan-{i:02d}.bin") for i in range(EXHIBITS)]
    return services, caseworker, legal, case, files


def _view_all(caseworker, files):
    from evidence.services import evidence_access_record

    for f in files:
        evidence_access_record(actor=caseworker, file=f, action="viewed")


def _build(legal, case, files):
    from referrals import services
    from referrals.models import Referral
    from tests.referrals.conftest import make_referral

    referral = make_referral(legal, case, files=files)
    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("services.referral_build_request(actor=legal, referral=referral)", globals(), locals(),
                        os.environ["BENCH_PROFILE"])
    else:
        services.referral_build_request(actor=legal, referral=referral)  # tasks run eagerly without a broker
    wall = time.perf_counter() - t0
    referral.refresh_from_db()
    assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error
    return wall, referral


def main():
    admin_url, name = audit_bench._database()
    import django

    django.setup()
    from django.core.management import call_command

    from audit.models import AuditTreeTile

    try:
        call_command("migrate", verbosity=0)
        _services, caseworker, legal, case, files = _setup()
        rows = []
        for size in SIZES:
            audit_bench.bulk_load(max(0, size - audit_bench._count()))
            t0 = time.perf_counter()
            call_command("audit_checkpoint", stdout=open(os.devnull, "w"))
            full = time.perf_counter() - t0
            _view_all(caseworker, files)
            wall, referral = _build(legal, case, files)
            _view_all(caseworker, files)
            tracemalloc.start()
            _build(legal, case, files)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append((audit_bench._count(), full, wall, peak, referral.package_size))
            print(f"{rows[-1][0]:>10,} events: beat checkpoint (full verify + tiles) {full:6.2f} s | referral build with"
                  f" {EXHIBITS} exhibits {wall:5.2f} s (target < 10 s) | build peak Python memory {peak / 2**20:6.1f} MiB |"
                  f" package {referral.package_size:,} bytes | tiles stored {AuditTreeTile.objects.count():,}")
        if len(rows) > 1:
            print(f"memory of a build at {rows[-1][0]:,} events / at {rows[0][0]:,}: {rows[-1][3] / rows[0][3]:.2f}x;"
                  f" time {rows[-1][2] / rows[0][2]:.2f}x")
    finally:
        audit_bench._drop(admin_url, name)


if __name__ == "__main__":
    main()
