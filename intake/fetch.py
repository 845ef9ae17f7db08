"""The internal side's half of the exchange with a separate public host (intake/views_outbox.py, intake/outbox.py)."""

from __future__ import annotations

import base64
import json
import urllib.request

from django.conf import settings

from common.transactions import service
from intake.models import Attachment, Message, Submission


def exchange(acks: dict, replies: list[dict]) -> dict:
    body = json.dumps({**acks, "replies": replies}).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator's configured https address
        settings.DALIL_INTAKE_FETCH_URL.rstrip("/") + "/outbox/", data=body, method="POST",
        headers={"Authorization": f"Bearer {settings.DALIL_INTAKE_FETCH_TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310 - configured https address only
        return json.loads(response.read())


@service
def store(data: dict) -> dict:
    """Keep what the public host sent; returns the ids to acknowledge."""
    for report in data.get("reports", []):
        Submission.objects.get_or_create(pk=report["id"], defaults={
            "received_on": report["received_on"], "language": report["language"], "sealed": base64.b64decode(report["sealed"]),
            "lookup": report["lookup"], "reply_recipient": report["reply_recipient"], "fetched": True,
        })
    for file_row in data.get("files", []):
        Attachment.objects.create(submission_id=file_row["submission"], sealed=base64.b64decode(file_row["sealed"]), size=file_row["size"])
    for message in data.get("messages", []):
        Message.objects.create(submission_id=message["submission"], sender=Message.From.FAMILY, sealed=base64.b64decode(message["sealed"]), fetched=True)
    return {"reports": [report["id"] for report in data.get("reports", [])], "files": [file_row["id"] for file_row in data.get("files", [])],
            "messages": [message["id"] for message in data.get("messages", [])]}


def fetch_once() -> int:
    """One round: push our unsent replies, take what is new, acknowledge it. Returns the number of new reports."""
    unsent = list(Message.objects.filter(sender=Message.From.ORGANISATION, fetched=False))
    replies = [{"submission": str(m.submission_id), "sealed": base64.b64encode(bytes(m.sealed)).decode()} for m in unsent]
    data = exchange({}, replies)
    Message.objects.filter(pk__in=[m.pk for m in unsent]).update(fetched=True)
    acks = store(data)
    exchange(acks, [])
    return len(acks["reports"])
