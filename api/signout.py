"""Hook the API into "sign out everywhere" and deactivation: they revoke the user's tokens too."""


def revoke_tokens(*, user, **kwargs) -> int:
    """Runs inside accounts' sign-out transaction, whose own audit event records the sign-out."""
    from django.utils import timezone

    from api.models import ApiToken

    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def register() -> None:
    from accounts.services import register_sign_out_hook

    register_sign_out_hook(revoke_tokens)
