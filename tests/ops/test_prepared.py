"""Prepared statements (config/settings.py, DALIL_DB_PREPARED): on PostgreSQL a statement run a second time on a
connection is prepared, so the database parses and plans it once. What an attacker would look for: a prepared
scoped query that answers the next user with the first user's rows, or a value kept from an earlier run."""

import os
import subprocess
import sys
from pathlib import Path

from cases.selectors import case_get_for, cases_for

ROOT = Path(__file__).resolve().parents[2]


def _prepared(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_scoped_query_run_again_is_prepared_and_still_answers_each_user_with_their_own_cases(postgres, cast):
    mine, theirs = {cast.case.pk}, {cast.other_case.pk}
    for _ in range(3):  # the second run prepares it; the third runs the prepared statement
        assert set(cases_for(cast.caseworker1).values_list("pk", flat=True)) == mine
    scoped = [s for s in _prepared(postgres) if "cases_case" in s and "accounts_caseuserobjectpermission" in s]
    assert scoped, "the scoped case query was not prepared"
    assert all("$1" in s for s in scoped)  # parameters, not values, are in the prepared text
    # The same prepared statement, other users: each gets their own, never the first user's.
    assert set(cases_for(cast.outsider).values_list("pk", flat=True)) == theirs
    assert set(cases_for(cast.caseworker2).values_list("pk", flat=True)) == set()
    assert set(cases_for(cast.caseworker1).values_list("pk", flat=True)) == mine
    for _ in range(3):
        assert case_get_for(cast.outsider, reference=cast.other_case.reference).pk == cast.other_case.pk


def test_a_revoked_grant_applies_to_the_next_run_of_the_prepared_statement(postgres, cast):
    from cases import access

    for _ in range(3):
        assert list(cases_for(cast.legal1).values_list("pk", flat=True)) == [cast.case.pk]
    access.case_revoke(actor=cast.caseworker1, case=cast.case, user=cast.legal1)
    assert list(cases_for(cast.legal1).values_list("pk", flat=True)) == []


def _options(**env) -> str:
    # A fresh process reads the settings as an installation would.
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_prepared_statements_are_on_for_postgresql_and_can_be_turned_off_for_a_pooler(postgres):
    assert "'prepare_threshold': 2" in _options() and "'server_side_binding': True" in _options()
    assert _options(DALIL_DB_PREPARED="false") in ("None", "{}")
