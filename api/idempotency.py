"""Idempotency-Key on creates and uploads: a retry over a bad connection replays, never repeats.

The record is taken *before* the work, in its own transaction, so that two copies of
one request racing each other cannot both create: the second finds the key held and
gets 409 until the first has finished, then a replay.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from api.errors import error_response
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
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


def run(request, *, endpoint: str, print_: str, perform: Callable[[], tuple[Response, str]], replay: Callable[[str], Response]) -> Response:
    """Call perform() once per Idempotency-Key; on a retry call replay(target_id) instead."""
    key = request.headers.get(HEADER)
    if key is None:
        return perform()[0]
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        return error_response(
            _("The Idempotency-Key header must be 1 to 255 printable characters."),
            code="invalid", status_code=400, fields={HEADER: [_("Not a valid key.")]},
        )
    record, fresh = begin(user=request.user, key=key, endpoint=endpoint, print_=print_)
    if not fresh:
        if record.endpoint != endpoint or record.fingerprint != print_:
            return error_response(
                _("This Idempotency-Key was already used for a different request."),
                code="idempotency_key_reused", status_code=422, fields={HEADER: [_("Already used for a different request.")]},
            )
        if record.state == IdempotencyRecord.State.PENDING:
            return error_response(
                _("A request with this Idempotency-Key is still being processed; retry shortly."),
                code="idempotency_in_progress", status_code=409,
            )
        response = replay(record.target_id)
        response.status_code = record.status_code or response.status_code
        response["Idempotent-Replayed"] = "true"
        return response
    return perform_once(record, perform)


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
