import re

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
        setattr(settings, name, "")  # settings were read from the environment at start (CI exports key files)
    settings.REDIS_URL = None
    with pytest.raises(CommandError, match="problem"):
        call_command("prod_check")
    out = capsys.readouterr().out
    assert "FAIL  no key-encryption key" in out or "FAIL  the key-encryption key is a development key" in out
    assert "REDIS_URL is not set" in out


@pytest.mark.django_db
def test_a_fresh_install_is_ready_before_its_first_upload(client, settings, tmp_path):
    blobs = tmp_path / "fresh" / "blobs"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(blobs)}}}
    assert not blobs.exists()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["storage"] is True


@pytest.mark.django_db
def test_prod_check_prints_the_failing_deploy_lines_and_refuses_development_keys(capsys, settings, monkeypatch):
    settings.SECURE_SSL_REDIRECT = False
    settings.DALIL_AUDIT_KEY = ""  # the audit chain key falls back to the development folder
    from keys import keyfile
    from keys.purposes import AUDIT_CHAIN

    keyfile.dev_keys(AUDIT_CHAIN)  # a fresh checkout has none yet: make the development key it falls back to
    settings.DALIL_TOKEN_PEPPER = "dalil-key-v1:kek:k1:" + "A" * 43  # a key of another purpose
    with pytest.raises(CommandError):
        call_command("prod_check")
    out = capsys.readouterr().out
    assert "(security.W008)" in out  # the real line, not "see check --deploy"
    assert "drf_spectacular" not in out
    assert "FAIL  the audit chain key (HMAC) is a development key kept beside the data" in out
    assert "FAIL  token pepper (HMAC):" in out


def test_server_timing_says_where_the_time_goes(rf, django_assert_num_queries, db):
    from django.http import HttpResponse

    from accounts.models import User
    from ops.timing import ServerTimingMiddleware

    def view(request):
        User.objects.count()
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(rf.get("/"))
    assert re.fullmatch(r'app;dur=[\d.]+, db;dur=[\d.]+;desc="1 queries"', response["Server-Timing"])


def test_server_timing_is_off_unless_asked_for(settings):
    assert "ops.timing.ServerTimingMiddleware" not in settings.MIDDLEWARE
