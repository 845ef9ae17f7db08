"""Security keys: the relying party comes from the host names the site is served at (config/settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings(**env) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DALIL_", "DATABASE_URL", "PYTEST", "REDIS_URL", "DJANGO_"))}
    code = "from django.conf import settings as s; print(s.OTP_WEBAUTHN_RP_ID); print(','.join(s.OTP_WEBAUTHN_ALLOWED_ORIGINS))"
    out = subprocess.run([sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; {code}"],
                         cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-500:]
    return out.stdout.split()


def test_production_takes_the_relying_party_from_the_allowed_hosts(tmp_path):
    rp, origins = _settings(DATABASE_URL="postgres://dalil@127.0.0.1:5432/dalil", DALIL_SECRET_KEY="x" * 60,
                            DALIL_ALLOWED_HOSTS="10.0.0.5,dalil.example.org,www.dalil.example.org", DALIL_DATA_DIR=str(tmp_path))
    assert rp == "dalil.example.org"
    assert origins.split(",") == ["https://dalil.example.org", "https://www.dalil.example.org"]


def test_development_serves_keys_at_localhost(tmp_path):
    rp, origins = _settings(DALIL_DATA_DIR=str(tmp_path))
    assert rp == "localhost"  # browsers refuse a relying party at an IP address such as 127.0.0.1
    assert origins == "http://localhost:8000"  # plain http is a secure origin only for localhost


def test_an_explicit_setting_wins(tmp_path):
    rp, origins = _settings(DALIL_DATA_DIR=str(tmp_path), DALIL_WEBAUTHN_RP_ID="example.net", DALIL_WEBAUTHN_ORIGINS="https://a.example.net")
    assert (rp, origins) == ("example.net", "https://a.example.net")
