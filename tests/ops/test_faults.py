"""Faults a production install meets: the database restarting under the web tier."""

import json
import urllib.request

import pytest
from django.db import connections


def _ready(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.django_db(transaction=True)
def test_the_next_request_succeeds_after_postgresql_drops_every_connection(postgres, live_server):
    # The live server keeps its connection between requests (CONN_MAX_AGE), as gunicorn does.
    assert _ready(live_server.url)["checks"]["database"] is True

    # What a restart does to every open session of this database, done without stopping the
    # server that other processes share: terminate every backend connected to it but our own.
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
    finally:
        killer.close()
    connections["default"].close()

    # CONN_HEALTH_CHECKS makes the next request notice the dead connection and open a new one.
    assert _ready(live_server.url) == {"status": "ok", "checks": {"database": True, "broker": True, "storage": True}}
