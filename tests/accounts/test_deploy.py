"""`manage.py check --deploy` with the production settings documented in docs/access.md."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://dalil@127.0.0.1:5432/dalil",
    "DALIL_SECRET_KEY": "k" * 10 + "Zq9-2xW8vB_4nM7pL0sD3fG6hJ1kQ5rT8yU2iO4eA7",
    "DALIL_ALLOWED_HOSTS": "dalil.example.org",
    "DALIL_CSRF_TRUSTED_ORIGINS": "https://dalil.example.org",
    "DALIL_SSL_REDIRECT": "true",
    "DALIL_HSTS_SECONDS": "31536000",
    "DALIL_BEHIND_PROXY": "true",
    "DALIL_WEBAUTHN_RP_ID": "dalil.example.org",
    "DALIL_WEBAUTHN_ORIGINS": "https://dalil.example.org",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DALIL_", "DATABASE_URL", "PYTEST", "REDIS_URL", "DJANGO_"))}
    env.update(PRODUCTION_ENV, DALIL_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    issues = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("?:") or line.startswith(("accounts", "security", "axes", "csp", "otp"))]
    assert not issues, "\n".join(issues)
    assert "security." not in result.stdout + result.stderr
