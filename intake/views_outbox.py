"""The exchange between a separate public host and the internal Dalil (docs/intake.md, "Deployable apart").

The internal side POSTs, with the shared token, what it has taken (ids to forget) and the replies it has written
(already sealed to each family's codename key); the public host answers with everything not yet taken. All of it
is ciphertext: the public host never holds the organisation's private key.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from intake.outbox import pending, take


@csrf_exempt
@require_POST
def outbox(request):
    expected = settings.DALIL_INTAKE_FETCH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponseForbidden("")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    take(body if isinstance(body, dict) else {})
    response = JsonResponse(pending())
    response["Cache-Control"] = "no-store"
    return response
