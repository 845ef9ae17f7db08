from django.conf import settings

from audit import context


def client_ip(request) -> str | None:
    """The client's address. Behind our reverse proxy (DALIL_BEHIND_PROXY) that is the address the proxy
    saw and appended to X-Forwarded-For; anything before it was written by the client and is not trusted."""
    if settings.SECURE_PROXY_SSL_HEADER is not None:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip() or None
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Makes the client address and user agent available to audit events written by services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_current(
            context.RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
