"""Issuing and revoking API tokens. Each service: one durable transaction, one audit event."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from api.models import ApiToken
from audit import actions
from audit.services import audit_record
from common.transactions import service

TOKEN_PREFIX = "dal_"


def hash_token(raw: str) -> str:
    # 256 random bits need no slow hash: there is nothing to guess, only to look up.
    return hashlib.sha256(raw.encode()).hexdigest()


def max_days() -> int:
    return settings.DALIL_API_TOKEN_MAX_DAYS


@service
def token_issue(*, actor, user, scope: str, days: int, name: str = "", system: str = "") -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns it with its only plaintext copy. Audit: api.token.issued.

    A person issues tokens only for themself (a token reads as its user: an admin minting one for
    someone else would read that person's cases as them); `actor=None` with `system` is the
    operator's command on the server."""
    if getattr(actor, "is_authenticated", False) and actor.pk != user.pk:
        raise ValueError("a token is issued only by its own user")
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"scope must be one of {', '.join(ApiToken.Scope.values)}")
    if not 1 <= days <= max_days():
        raise ValueError(f"days must be between 1 and {max_days()}")
    if not user.is_active:
        raise ValueError(f"user {user.get_username()} is not active")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=hash_token(raw),
        scope=scope,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_record(
        actor=actor, action=actions.API_TOKEN_ISSUED, target=token, system=system,
        data={"user": user.get_username(), "scope": scope, "days": days, "prefix": token.prefix},
    )
    return token, raw


@service
def token_revoke(*, actor, token: ApiToken, system: str = "") -> bool:
    """Revoke one token (a no-op when already revoked). Caller: an admin or the token's user. Audit: api.token.revoked."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=actions.API_TOKEN_REVOKED, target=token, system=system,
                 data={"user": token.user.get_username(), "prefix": token.prefix})
    return True


@service
def tokens_revoke_for_user(*, actor, user, system: str = "") -> int:
    """Revoke every live token of `user`. Caller: an admin or the user. Audit: api.token.revoked."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action=actions.API_TOKEN_REVOKED, target=user, system=system,
                 data={"user": user.get_username(), "count": count, "all": True})
    return count
