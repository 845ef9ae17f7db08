import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_healthz_is_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_broker_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": True, "broker": True, "storage": True}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_reports_a_broken_broker_without_detail(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": True, "broker": False, "storage": True}}


@pytest.mark.django_db
def test_prod_check_fails_in_plain_words_on_the_embedded_default(capsys, settings, monkeypatch):
    for name in ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KMS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    settings.REDIS_URL = None
    with pytest.raises(CommandError, match="problem"):
        call_command("prod_check")
    out = capsys.readouterr().out
    assert "FAIL  no key-encryption key" in out
    assert "REDIS_URL is not set" in out
