"""Idempotency-Key on creates and uploads: a retry over a bad connection replays, never repeats.

The record is held before the work (common/idempotency.py: begin), so that of two copies of one request racing
each other the second gets 409 until the first has finished, then a replay.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from rest_framework.response import Response

from api.errors import error_response
from common.idempotency import begin, fingerprint, perform_once
from common.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def run(request, *, endpoint: str, content: tuple, perform: Callable[[], tuple[Response, str]], replay: Callable[[str], Response]) -> Response:
    """Call perform() once per Idempotency-Key; on a retry call replay(target_id) instead.

    `content` is what makes two requests the same request (the body, or an upload's hash and name): a retry under the
    same key must carry the same.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return perform()[0]
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        return error_response(
            _("The Idempotency-Key header must be 1 to 255 printable characters."),
            code="invalid", status_code=400, fields={HEADER: [_("Not a valid key.")]},
        )
    print_ = fingerprint(*content)
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
