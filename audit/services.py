"""Writing the audit log: one event per action, appended to the keyed chain inside the caller's transaction."""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from audit import chain, context, keys
from audit.models import AuditEvent

_SECRETISH = ("password", "secret", "token", "key", "passphrase", "otp")
# pg_advisory_xact_lock id of the chain head ("dalil-au" in ASCII); held until the writing transaction ends.
APPEND_LOCK_ID = 0x64616C696C2D6175
_HEAD_SQL = {
    # Two statements in one round trip: the SELECT takes its snapshot only after the lock is granted,
    # so it sees the head committed by the previous holder (READ COMMITTED, Django's default).
    "postgresql": f"SELECT pg_advisory_xact_lock({APPEND_LOCK_ID}); "  # nosec B608  # APPEND_LOCK_ID is an integer constant of this module
    "SELECT seq, mac FROM audit_auditevent ORDER BY seq DESC LIMIT 1",
    # SQLite transactions are BEGIN IMMEDIATE here (settings), so the write lock is already ours.
    "sqlite": "SELECT seq, mac FROM audit_auditevent ORDER BY seq DESC LIMIT 1",
}


def _clean_data(data: dict | None) -> dict:
    """Drop secret-looking keys so that no caller can log a credential by mistake."""
    if not data:
        return {}
    return chain.normalise_json({k: v for k, v in data.items() if not any(s in k.lower() for s in _SECRETISH)})


def _head(connection) -> tuple[int, bytes]:
    """The next sequence number and the MAC to chain from, with the append lock held."""
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_SQL.get(connection.vendor, _HEAD_SQL["sqlite"]))
        if connection.vendor == "postgresql":
            cursor.nextset()
        row = cursor.fetchone()
    if row is None:
        return 0, chain.GENESIS
    return row[0] + 1, bytes.fromhex(row[1])


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    case=None,
    fields: Iterable[str] = (),
    data: dict | None = None,
    system: str = "",
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction, so the event commits or rolls back with the change.

    Call it last in the transaction: it takes the chain lock, which is held until the transaction ends."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    ctx = context.current()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if case is None and target is not None and target.__class__.__name__ == "Case":
        case = target
    key = keys.audit_key()
    event = AuditEvent(
        actor=user,
        actor_label=(user.get_username() if user else (f"system:{system}" if system else "anonymous"))[:150],
        action=action[:64],
        target_type=target._meta.label_lower[:64] if target is not None else "",
        target_id=str(target.pk)[:64] if target is not None else "",
        case_ref=(getattr(case, "reference", "") or "")[:32],
        ip=chain.normalise_ip(ctx.ip),
        user_agent=(ctx.user_agent or "")[:300],
        fields=sorted({str(f) for f in fields}),
        data=_clean_data(data),
    )
    seq, previous = _head(connection)
    event.seq = seq
    event.at = timezone.now()
    content = chain.canonical_of(event)
    event.mac = chain.next_mac(key, previous, content).hex()
    event.save(force_insert=True)
    return event


@transaction.atomic(durable=True)
def audit_read(*, actor, action: str, target: models.Model | None = None, case=None, data: dict | None = None) -> AuditEvent:
    """Record that `actor` saw something (a case page, a person, a file, a list with data={"cases": [ids]}). Audit: `action`."""
    return audit_record(actor=actor, action=action, target=target, case=case, data=data)
