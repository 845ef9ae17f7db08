"""The exchange between a separate public host and the internal Dalil (docs/intake.md, "Deployable apart").

The internal side POSTs, with the shared token, what it has taken (ids to forget) and the replies it has written
(already sealed to each family's codename key); the public host answers with everything not yet taken. All of it
is ciphertext: the public host never holds the organisation's private key.
"""

from __future__ import annotations

import base64
import hmac
import json

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from intake.models import Attachment, Message, Submission


def _b64(data) -> str:
    return base64.b64encode(bytes(data)).decode()


def pending() -> dict:
    reports = []
    for s in Submission.objects.filter(fetched=False).exclude(status=Submission.Status.DESTROYED):
        reports.append({"id": str(s.pk), "received_on": s.received_on.isoformat(), "language": s.language, "sealed": _b64(s.sealed),
                        "lookup": s.lookup, "reply_recipient": s.reply_recipient})
    # A file not yet taken still has its ciphertext here (take() empties it).
    files = [{"id": a.pk, "submission": str(a.submission_id), "sealed": _b64(a.sealed), "size": a.size}
             for a in Attachment.objects.exclude(sealed=b"")]
    messages = [{"id": m.pk, "submission": str(m.submission_id), "sealed": _b64(m.sealed), "sent_on": m.sent_on.isoformat()}
                for m in Message.objects.filter(sender=Message.From.FAMILY, fetched=False)]
    return {"reports": reports, "files": files, "messages": messages}


@transaction.atomic
def take(body: dict) -> None:
    Submission.objects.filter(pk__in=body.get("reports", [])).update(fetched=True, sealed=b"")
    # A taken file is forgotten here: the row stays (the family's count of files), its ciphertext goes.
    Attachment.objects.filter(pk__in=body.get("files", [])).update(sealed=b"")
    Message.objects.filter(pk__in=body.get("messages", [])).update(fetched=True, sealed=b"")
    for reply in body.get("replies", []):
        submission = Submission.objects.filter(pk=reply["submission"]).first()
        if submission is not None:
            Message.objects.create(submission=submission, sender=Message.From.ORGANISATION, sealed=base64.b64decode(reply["sealed"]))


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
    take(body)
    response = JsonResponse(pending())
    response["Cache-Control"] = "no-store"
    return response
