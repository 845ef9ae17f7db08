"""config/gunicorn.conf.py: the README's web command runs one synchronous worker per core (DALIL_WEB_WORKERS
sets another number), and every install path uses that file."""

import os
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "config/gunicorn.conf.py"


def test_one_worker_per_core_unless_told(monkeypatch):
    monkeypatch.delenv("DALIL_WEB_WORKERS", raising=False)
    settings = runpy.run_path(str(CONF))
    assert settings["workers"] == len(os.sched_getaffinity(0)) >= 1
    assert settings["timeout"] == 120 and "worker_class" not in settings  # synchronous workers
    monkeypatch.setenv("DALIL_WEB_WORKERS", "5")
    assert runpy.run_path(str(CONF))["workers"] == 5


def test_the_readme_the_systemd_unit_and_compose_all_use_it():
    for path in ("README.md", "docs/deploy/dalil-web.service", "docker-compose.yml", "docs/operations.md"):
        text = (ROOT / path).read_text()
        assert "config/gunicorn.conf.py" in text, path
        assert "--workers 4" not in text and '"--workers"' not in text, path
