"""A create done once: the record is held before the work, and kept or freed after it.

The record is taken *before* the work, in its own transaction, so that two copies of one request racing each
other cannot both create: the second finds the key held. The API's Idempotency-Key (api/idempotency.py) and the
web forms' once-only submission (common/once.py) both keep their records here.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.models import IdempotencyRecord

KEEP = datetime.timedelta(hours=24)


def fingerprint(*parts) -> str:
    # Keyed, so that the stored fingerprint of a request does not let anyone test guesses of a name in it.
    material = json.dumps(parts, sort_keys=True, default=str).encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"dalil-idempotency\x00" + material, hashlib.sha256).hexdigest()


def begin(*, user, key: str, endpoint: str, print_: str) -> tuple[IdempotencyRecord, bool]:
    """Hold `key` for this user (fresh=True), or return the record already holding it (fresh=False)."""
    try:
        with transaction.atomic(durable=not _in_test_transaction()):
            IdempotencyRecord.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
            return IdempotencyRecord.objects.create(user=user, key=key, endpoint=endpoint, fingerprint=print_), True
    except IntegrityError:
        return IdempotencyRecord.objects.get(user=user, key=key), False


def _in_test_transaction() -> bool:
    # pytest-django's `db` fixture wraps each test in a transaction; outside tests this is always False.
    return transaction.get_connection().in_atomic_block


def perform_once(record: IdempotencyRecord, perform: Callable[[], tuple]) -> object:
    """Run perform() -> (response, target_id) under a fresh record: kept as done, or freed if nothing was made."""
    try:
        response, target_id = perform()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if response.status_code >= 400:
        # Nothing was made: free the key so that a corrected request may use it.
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
    else:
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyRecord.State.DONE, status_code=response.status_code, target_id=target_id
        )
    return response
