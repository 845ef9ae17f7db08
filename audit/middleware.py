import ipaddress

from django.conf import settings

from audit import context, denials


def client_ip(request) -> str | None:
    """The client's address, the one rule for it (audit events, django-axes lockouts, API throttles).

    Behind DALIL_TRUSTED_PROXIES reverse proxies (DALIL_BEHIND_PROXY), each appended the address it saw
    to X-Forwarded-For, so the client is the entry that many places from the right; entries before it
    were written by the client and are not trusted. Otherwise the client is the socket's peer."""
    if settings.DALIL_BEHIND_PROXY:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if entries:
            candidate = entries[-min(settings.DALIL_TRUSTED_PROXIES, len(entries))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # a proxy that writes no address here is misconfigured; fall back to the peer
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Makes the client address and user agent available to audit events written by services,
    and audits a signed-in user's 404 or 403 from any view (audit.denials)."""

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

    def process_exception(self, request, exception):
        match = request.resolver_match
        denials.record_denial(request, exception, view_name=match.view_name if match else "", kwargs=match.kwargs if match else {})
        return None
