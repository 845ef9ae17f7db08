from django.test import RequestFactory

from audit.middleware import client_ip


def test_the_address_is_remote_addr_unless_behind_the_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only the proxy's own entry (the last) counts: the client wrote the ones before it.
    assert client_ip(request) == "203.0.113.9"
