from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from audit import context
from audit.models import AuditEvent

_SECRETISH = ("password", "secret", "token", "key", "passphrase", "otp")


def _clean_data(data: dict | None) -> dict:
    """Drop secret-looking keys so that no caller can log a credential by mistake."""
    if not data:
        return {}
    return {k: v for k, v in data.items() if not any(s in k.lower() for s in _SECRETISH)}


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
    """Append one audit event. Must run inside the caller's transaction, so the event commits or rolls back with the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    ctx = context.current()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if case is None and target is not None and target.__class__.__name__ == "Case":
        case = target
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=user,
        actor_label=user.get_username() if user else (f"system:{system}" if system else "anonymous"),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        case_ref=getattr(case, "reference", "") or "",
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        fields=sorted(fields),
        data=_clean_data(data),
    )


@transaction.atomic(durable=True)
def audit_read(*, actor, action: str, target: models.Model | None = None, case=None, data: dict | None = None) -> AuditEvent:
    """Record that `actor` saw something (a case page, a person, a file, a list with data={"cases": [ids]}). Audit: `action`."""
    return audit_record(actor=actor, action=action, target=target, case=case, data=data)
