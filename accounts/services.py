"""Every write to accounts: users, roles, sessions and second factors.

Each public service is keyword-only, runs in one durable transaction and writes one
audit event in it. Permission checks (accounts.manage_users) happen in the caller.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from accounts.models import RoleChangeRequest, UserSession
from accounts.roles import ADMIN, ROLES, role_names
from audit import actions
from audit.services import audit_record
from common.transactions import service

User = get_user_model()

# Callables run by user_sign_out_everywhere and user_deactivate inside their transaction,
# each taking (*, user): the API app registers one that deletes the user's tokens.
_sign_out_hooks: list[Callable] = []


class AccountError(ValueError):
    """A request that would leave accounts in a state the rules forbid; the message says why."""


def register_sign_out_hook(hook: Callable) -> Callable:
    """Register `hook(*, user)` to revoke other credentials (API tokens...) when a user is signed out everywhere."""
    if hook not in _sign_out_hooks:
        _sign_out_hooks.append(hook)
    return hook


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(unknown)}")
    return roles


def invite_path(user) -> str:
    """The one-time set-password path of an invitation: it stops working once a password is set."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:set_password", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


@service
def user_create(
    *,
    actor,
    username: str,
    roles: Iterable[str] = (),
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    system: str = "",
) -> User:
    """Create a user with roles; without a password the user can only use an invitation link. Audit: account.created."""
    roles = _check_roles(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"The username {username!r} is taken.")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(actor=actor, action=actions.ACCOUNT_CREATED, target=user, data={"roles": roles}, system=system)
    return user


def user_invite(*, actor, username: str, roles: Iterable[str], email: str = "", first_name: str = "", last_name: str = "") -> tuple[User, str]:
    """Create a user with no password and return them with their one-time set-password path. Audit: account.created."""
    user = user_create(actor=actor, username=username, roles=roles, email=email, first_name=first_name, last_name=last_name)
    return user, invite_path(user)


def _apply_roles(*, actor, user, roles: set[str]) -> dict:
    current = set(user.groups.filter(name__in=role_names()).values_list("name", flat=True))
    added, removed = sorted(roles - current), sorted(current - roles)
    user.groups.remove(*Group.objects.filter(name__in=removed))
    user.groups.add(*Group.objects.filter(name__in=added))
    user.__dict__.pop("_dalil_roles", None)
    change = {"added": added, "removed": removed}
    audit_record(actor=actor, action=actions.ACCOUNT_ROLE_CHANGED, target=user, fields=["roles"], data=change)
    return change


@service
def user_set_roles(*, actor, user, roles: Iterable[str]) -> dict:
    """Replace the user's roles. Caller holds accounts.manage_users. Audit: account.role.changed.

    A change to one's own roles is not made here: it becomes a request another admin approves
    (role_change_request); this refuses it."""
    roles = set(_check_roles(roles))
    if actor is not None and actor.pk == user.pk:
        raise AccountError("A change to your own roles needs a second admin's approval.")
    return _apply_roles(actor=actor, user=user, roles=roles)


@service
def role_change_request(*, actor, roles: Iterable[str]) -> RoleChangeRequest:
    """An admin asks to change their own roles; nothing changes until another admin approves.
    Replaces their earlier open request. Audit: account.role.change_requested."""
    roles = _check_roles(roles)
    current = set(actor.groups.filter(name__in=role_names()).values_list("name", flat=True))
    if ADMIN in current and ADMIN not in roles:
        raise AccountError("You cannot remove your own admin role; ask another admin.")
    RoleChangeRequest.objects.filter(user=actor, decided_at__isnull=True).delete()
    request = RoleChangeRequest.objects.create(user=actor, requested_by=actor, roles=roles)
    audit_record(actor=actor, action=actions.ACCOUNT_ROLE_CHANGE_REQUESTED, target=actor, data={"roles": roles, "request": request.pk})
    return request


@service
def role_change_decide(*, actor, request: RoleChangeRequest, approve: bool) -> dict | None:
    """A second admin approves (the roles change) or rejects a request. Caller holds accounts.manage_users.
    Audit: account.role.change_approved or _rejected (and account.role.changed)."""
    request = RoleChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.decided_at is not None:
        raise AccountError("This request was already decided.")
    if actor.pk in (request.user_id, request.requested_by_id):
        raise AccountError("Another admin must decide on a change to your own roles.")
    request.decided_by, request.decided_at, request.approved = actor, timezone.now(), approve
    request.save(update_fields=["decided_by", "decided_at", "approved"])
    action = actions.ACCOUNT_ROLE_CHANGE_APPROVED if approve else actions.ACCOUNT_ROLE_CHANGE_REJECTED
    audit_record(actor=actor, action=action, target=request.user, data={"roles": request.roles, "request": request.pk})
    if not approve:
        return None
    return _apply_roles(actor=actor, user=request.user, roles=set(request.roles))


def end_sessions(user) -> int:
    """End every session of the user: raise the session generation (checked on each request)
    and delete the stored sessions we know of, then let other apps revoke their credentials."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    for hook in _sign_out_hooks:
        hook(user=user)
    return deleted


@service
def user_sign_out_everywhere(*, actor, user) -> int:
    """End every session and API token of the user at once. Caller is the user or an admin. Audit: account.signed_out_everywhere."""
    ended = end_sessions(user)
    audit_record(actor=actor, action=actions.ACCOUNT_SIGNED_OUT_EVERYWHERE, target=user, data={"sessions": ended})
    return ended


@service
def user_deactivate(*, actor, user) -> None:
    """Stop the user signing in and end their sessions and tokens at once. Caller holds manage_users. Audit: account.deactivated."""
    if actor is not None and actor.pk == user.pk:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    audit_record(actor=actor, action=actions.ACCOUNT_DEACTIVATED, target=user, fields=["is_active"], data={"sessions": ended})


@service
def user_reactivate(*, actor, user) -> None:
    """Let a deactivated user sign in again. Caller holds manage_users. Audit: account.reactivated."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=actions.ACCOUNT_REACTIVATED, target=user, fields=["is_active"])


@service
def user_set_password(*, actor, user, password: str) -> None:
    """Set a password (invitation link or admin reset); every other session ends with the old hash. Audit: account.password.set."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=actions.ACCOUNT_PASSWORD_SET, target=user)


@service
def user_password_changed(*, actor) -> None:
    """The user changed their own password (Django's form saved it). Audit: account.password.changed."""
    audit_record(actor=actor, action=actions.ACCOUNT_PASSWORD_CHANGED, target=actor)


@service
def user_reauthenticated(*, actor) -> None:
    """The user typed their password again before a sensitive action. Audit: account.reauthenticated."""
    audit_record(actor=actor, action=actions.ACCOUNT_REAUTHENTICATED, target=actor)


def session_track(*, user, session_key: str) -> None:
    """Remember that a session belongs to the user (called at sign-in, inside Django's login)."""
    if session_key:
        UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
