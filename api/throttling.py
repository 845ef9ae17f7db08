from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from audit.middleware import client_ip


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (not per address: many phones share one carrier NAT); without a token, per client address."""

    scope = "token"

    def get_ident(self, request):
        return client_ip(request) or ""

    def get_rate(self):
        return settings.DALIL_API_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken):
            ident = token.key_hash[:32]
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenWriteRateThrottle(TokenRateThrottle):
    """A tighter budget for creates and uploads."""

    scope = "token_write"

    def get_rate(self):
        return settings.DALIL_API_WRITE_RATE

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
