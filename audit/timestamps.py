"""RFC 3161 time-stamps from an outside authority (DALIL_TSA_URL) over every checkpoint and intake hash batch.

Two messages per checkpoint, each stamped once and kept (AuditTimestamp, append-only):

* ``checkpoint``: the signed checkpoint note, byte for byte;
* ``intake``: the batch of intake hashes of the events the checkpoint adds (from the previous checkpoint's
  size to its own), as text::

      dalil-intake-batch/1
      <origin>
      <first seq> <end seq>
      <seq> <evidence file id> <sha256>      (one line per evidence.file.received event, in log order)

The request asks for SHA-256, a nonce and the authority's certificate; the answer is checked (granted, same
imprint and nonce, and with DALIL_TSA_CA_FILE a chain to those roots) before it is kept. The authority being
unreachable never stops a checkpoint: the beat task `audit.timestamp` stamps what is still unstamped.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from audit import actions, keys
from audit.models import AuditCheckpoint, AuditEvent, AuditTimestamp

logger = logging.getLogger(__name__)

BATCH_HEADER = "dalil-intake-batch/1"
_TIMEOUT = 10


class TimestampUnavailable(Exception):
    """The authority could not be reached, or its answer does not hold."""


def intake_batch(row: AuditCheckpoint) -> str | None:
    """The intake hashes the checkpoint adds, as the text that is stamped; None when it adds none."""
    start = row.previous_size or 0
    events = (
        AuditEvent.objects.filter(action=actions.EVIDENCE_FILE_RECEIVED, seq__gte=start, seq__lt=row.tree_size)
        .order_by("seq").values_list("seq", "target_id", "data")
    )
    lines = [f"{seq} {target} {data.get('sha256', '')}" for seq, target, data in events.iterator()]
    if not lines:
        return None
    return "\n".join([BATCH_HEADER, keys.origin(), f"{start} {row.tree_size}", *lines]) + "\n"


def messages(row: AuditCheckpoint) -> dict[str, str]:
    out = {AuditTimestamp.Kind.CHECKPOINT: row.note}
    batch = intake_batch(row)
    if batch is not None:
        out[AuditTimestamp.Kind.INTAKE] = batch
    return out


def request_stamp(message: bytes, url: str):
    """Ask the authority; return its verified TimeStampResponse. TimestampUnavailable otherwise."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, VerificationError, VerifierBuilder, decode_timestamp_response

    request = TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).cert_request(cert_request=True).build()
    http = urllib.request.Request(url, data=request.as_bytes(), method="POST", headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(http, timeout=_TIMEOUT) as answer:  # nosec B310  # http(s) only: config.env.env_url refuses other schemes
            response = decode_timestamp_response(answer.read(1 << 20))
    except (OSError, ValueError) as exc:
        raise TimestampUnavailable(f"the time-stamping authority at {url} did not answer usefully ({exc})") from None
    if response.status not in (0, 1):
        raise TimestampUnavailable(f"the time-stamping authority refused (status {response.status})")
    info = response.tst_info
    if info.message_imprint.message != hashlib.sha256(message).digest() or info.nonce != request.nonce:
        raise TimestampUnavailable("the time-stamping authority's token is not for this request")
    if settings.DALIL_TSA_CA_FILE:
        from cryptography import x509

        with open(settings.DALIL_TSA_CA_FILE, "rb") as fh:
            roots = x509.load_pem_x509_certificates(fh.read())
        builder = VerifierBuilder.from_request(request)
        for root in roots:
            builder = builder.add_root_certificate(root)
        try:
            builder.build().verify_message(response, message)
        except VerificationError as exc:
            raise TimestampUnavailable(f"the time-stamp does not verify against DALIL_TSA_CA_FILE ({exc})") from None
    return response


def stamp(row: AuditCheckpoint) -> list[AuditTimestamp]:
    """Stamp whatever of this checkpoint is not stamped yet. TimestampUnavailable if the authority fails."""
    url = settings.DALIL_TSA_URL
    if not url:
        return []
    have = set(row.timestamps.values_list("kind", flat=True))
    made = []
    for kind, text in messages(row).items():
        if kind in have:
            continue
        response = request_stamp(text.encode("utf-8"), url)
        try:
            with transaction.atomic():
                made.append(AuditTimestamp.objects.create(
                    checkpoint=row, kind=kind, message=text, response=response.as_bytes(),
                    gen_time=response.tst_info.gen_time, authority=url[:300],
                ))
        except IntegrityError:
            continue  # stamped meanwhile by another worker
    return made


def stamp_pending(*, limit: int = 50) -> int:
    """Beat: stamp the checkpoints still missing a stamp, oldest first; stop at the first failure (retried next beat)."""
    if not settings.DALIL_TSA_URL:
        return 0
    done = 0
    stamped = AuditTimestamp.objects.filter(kind=AuditTimestamp.Kind.CHECKPOINT).values("checkpoint")
    for row in AuditCheckpoint.objects.exclude(pk__in=stamped).order_by("tree_size")[:limit]:
        try:
            done += len(stamp(row))
        except TimestampUnavailable as exc:
            logger.warning("audit checkpoint %s: no time-stamp yet: %s", row.tree_size, exc)
            break
    return done


def last_stamped() -> AuditTimestamp | None:
    """The newest checkpoint time-stamp (for the admin's audit page)."""
    return (
        AuditTimestamp.objects.filter(kind=AuditTimestamp.Kind.CHECKPOINT).select_related("checkpoint")
        .order_by("-checkpoint__tree_size").first()
    )


def for_package(row: AuditCheckpoint, intake_seqs: list[int]) -> list[dict]:
    """The stamps a referral package carries: its checkpoint's, and those of the intake batches holding its exhibits."""
    batches = {AuditCheckpoint.objects.filter(tree_size__gt=seq).order_by("tree_size").values_list("pk", flat=True).first()
               for seq in intake_seqs}
    found = AuditTimestamp.objects.filter(
        Q(checkpoint=row, kind=AuditTimestamp.Kind.CHECKPOINT) | Q(checkpoint__in=batches - {None}, kind=AuditTimestamp.Kind.INTAKE)
    )
    return [
        {"kind": t.kind, "message": t.message, "response": base64.b64encode(bytes(t.response)).decode("ascii")}
        for t in found.order_by("checkpoint__tree_size", "kind")
    ]
