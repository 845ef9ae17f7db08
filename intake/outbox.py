"""The public host's half of the exchange with the internal Dalil: what it still holds, and what the internal side took.

Everything here is ciphertext (docs/intake.md, "Deployable apart"); the endpoint is intake/views_outbox.py.
"""

from __future__ import annotations

import base64

from common.transactions import service
from intake.models import Attachment, Message, Submission


def _b64(data) -> str:
    return base64.b64encode(bytes(data)).decode()


def pending() -> dict:
    reports = []
    for submission in Submission.objects.filter(fetched=False).exclude(status=Submission.Status.DESTROYED):
        reports.append({"id": str(submission.pk), "received_on": submission.received_on.isoformat(), "language": submission.language, "sealed": _b64(submission.sealed),
                        "lookup": submission.lookup, "reply_recipient": submission.reply_recipient})
    # A file not yet taken still has its ciphertext here (take() empties it).
    files = [{"id": a.pk, "submission": str(a.submission_id), "sealed": _b64(a.sealed), "size": a.size}
             for a in Attachment.objects.exclude(sealed=b"")]
    messages = [{"id": m.pk, "submission": str(m.submission_id), "sealed": _b64(m.sealed), "sent_on": m.sent_on.isoformat()}
                for m in Message.objects.filter(sender=Message.From.FAMILY, fetched=False)]
    return {"reports": reports, "files": files, "messages": messages}


@service
def take(body: dict) -> None:
    """Forget what the internal side took and keep the replies it wrote: one exchange, one durable transaction."""
    Submission.objects.filter(pk__in=body.get("reports", [])).update(fetched=True, sealed=b"")
    # A taken file is forgotten here: the row stays (the family's count of files), its ciphertext goes.
    Attachment.objects.filter(pk__in=body.get("files", [])).update(sealed=b"")
    Message.objects.filter(pk__in=body.get("messages", [])).update(fetched=True, sealed=b"")
    for reply in body.get("replies", []):
        submission = Submission.objects.filter(pk=reply["submission"]).first()
        if submission is not None:
            Message.objects.create(submission=submission, sender=Message.From.ORGANISATION, sealed=base64.b64decode(reply["sealed"]))
