"""Bearer tokens: `Authorization: Bearer dal_…`. Expired, revoked or unknown tokens get 401."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api import auditing
from api.models import ApiToken
from api.services import hash_token

KEYWORDS = ("bearer", "token")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as 'Authorization: Bearer <token>'."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        reason = None
        if token.revoked_at is not None:
            reason, message = "revoked", _("The token has been revoked.")
        elif token.is_expired:
            reason, message = "expired", _("The token has expired.")
        elif not token.user.is_active:
            reason, message = "user_inactive", _("The token's user is not active.")
        if reason:
            auditing.token_rejected(request, token=token, reason=reason)
            raise exceptions.AuthenticationFailed(message)
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # Written at most once a minute per token: a busy client must not turn every read into a write.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
