from django.test import RequestFactory

from audit.middleware import client_ip


def test_the_address_is_remote_addr_unless_behind_the_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.DALIL_BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"
    settings.DALIL_BEHIND_PROXY = True
    settings.DALIL_TRUSTED_PROXIES = 1
    # Only the proxy's own entry (the last) counts: the client wrote the ones before it.
    assert client_ip(request) == "203.0.113.9"
    # Two proxies (say a load balancer, then nginx): the client is the second entry from the right.
    settings.DALIL_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"
    # No header, or garbage where a proxy's address should be: the socket's peer.
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.DALIL_TRUSTED_PROXIES = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")) == "127.0.0.1"
