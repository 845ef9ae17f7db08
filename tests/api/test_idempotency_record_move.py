"""On upgrade: the idempotency records kept while the model was the API's are common's after `migrate`, every row
as it was (issue 18: the model moved, its table stayed)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import CASEWORKER
from tests.cast import ensure_roles, make_user

BEFORE = [("api", "0001_initial"), ("common", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_the_records_made_under_api_are_read_through_common_after_migrate():
    ensure_roles()
    user = make_user("upgrader", CASEWORKER, password=None)
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())
    try:
        old = _migrate(BEFORE)
        OldRecord = old.get_model("api", "IdempotencyRecord")
        OldRecord.objects.create(user_id=user.pk, key="form:abc", endpoint="cases.create", fingerprint="f" * 64,
                                 state="done", status_code=201, target_id="KG-1")
        OldRecord.objects.create(user_id=user.pk, key="k2", endpoint="events.create:1", fingerprint="e" * 64)
    finally:
        _migrate(latest)

    from common.models import IdempotencyRecord

    rows = IdempotencyRecord.objects.order_by("key").values_list("user_id", "key", "endpoint", "state", "status_code", "target_id")
    assert list(rows) == [
        (user.pk, "form:abc", "cases.create", "done", 201, "KG-1"),
        (user.pk, "k2", "events.create:1", "pending", None, ""),
    ]
    # The constraint came along: a key is held once per user.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(user=user, key="k2", endpoint="cases.create", fingerprint="0" * 64)
