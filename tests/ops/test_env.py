import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_url


@pytest.mark.parametrize("value", ["file:///etc/passwd", "ftp://tsa.example.org/", "gopher://x", "//no-scheme"])
def test_an_outbound_address_other_than_http_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("DALIL_TSA_URL", value)
    with pytest.raises(ImproperlyConfigured, match="DALIL_TSA_URL must be an http"):
        env_url("DALIL_TSA_URL")


def test_http_and_https_and_empty_pass(monkeypatch):
    for value in ("https://tsa.example.org/", "http://127.0.0.1:9/witness", ""):
        monkeypatch.setenv("DALIL_AUDIT_WITNESS_URL", value)
        assert env_url("DALIL_AUDIT_WITNESS_URL") == value
