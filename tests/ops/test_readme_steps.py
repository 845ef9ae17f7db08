"""The README's production steps: complete, in an order that works, and the ones `make prod-smoke` runs."""

import re

import pytest

from smoke.readme import STEP_TITLES, Substitutions, production_steps, step

PURPOSES = ("kek", "audit-chain", "audit-signing", "token-pepper", "intake")


@pytest.fixture(scope="module")
def steps():
    return production_steps()


def test_the_steps_come_in_order(steps):
    assert [s.title for s in steps] == list(STEP_TITLES)
    assert [s.number for s in steps] == list(range(1, len(STEP_TITLES) + 1))


def test_each_step_has_its_command(steps):
    assert "make build" in step(steps, "Install and build").code
    secrets = step(steps, "The secret and the key files").code
    assert "secret_key" in secrets
    assert "manage.py keys_generate --purpose" in secrets and all(p in secrets for p in PURPOSES)
    environment = step(steps, "The environment").code
    assert "DALIL_SECRET_KEY_FILE=" in environment
    for name in ("DATABASE_URL", "REDIS_URL", "DALIL_ALLOWED_HOSTS", "DALIL_KEK_FILE", "DALIL_AUDIT_KEY_FILE",
                 "DALIL_AUDIT_SIGNING_KEY_FILE", "DALIL_DATA_DIR"):
        assert f"\n{name}=" in environment, name
    roles = step(steps, "Database roles").code
    assert "CREATE ROLE dalil_owner" in roles and "CREATE ROLE dalil_app" in roles
    migrations = step(steps, "Migrations").code
    assert migrations.index("manage.py migrate") < migrations.index("GRANT SELECT, INSERT"), "grants must follow the tables"
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent" in migrations
    assert "manage.py create_admin" in step(steps, "The first admin").code
    processes = step(steps, "The processes").code
    assert re.search(r"gunicorn config\.wsgi .*--bind 127\.0\.0\.1:8001", processes)
    assert "celery -A config worker" in processes and "celery -A config beat" in processes
    assert "manage.py prod_check" in step(steps, "Check").code


def test_the_key_files_the_environment_names_are_the_ones_step_2_makes(steps):
    environment = step(steps, "The environment").code
    named = set(re.findall(r"^DALIL_\w+_FILE=/etc/dalil/([\w-]+)\.key$", environment, re.M))
    assert named == set(PURPOSES)


def test_the_systemd_units_run_the_readmes_processes_with_its_environment(steps):
    from smoke.readme import ROOT

    processes = step(steps, "The processes").code
    for unit in ("dalil-web", "dalil-worker", "dalil-beat"):
        text = (ROOT / "docs" / "deploy" / f"{unit}.service").read_text()
        assert "EnvironmentFile=/etc/dalil/environment" in text
        command = re.search(r"^ExecStart=/opt/dalil/(.+)$", text, re.M).group(1)
        assert command in processes, f"{unit} runs {command!r}, which the README does not"
        assert "ReadWritePaths=/var/lib/dalil" in text  # DALIL_DATA_DIR: nothing is written under /opt/dalil


def test_substitutions_leave_no_example_name_behind(steps, tmp_path):
    subs = Substitutions(etc=tmp_path / "etc", data=tmp_path / "data", backups=tmp_path / "b",
                         https_origin="https://localhost:4443", redis="127.0.0.1:6390", gunicorn="127.0.0.1:8011", run_id="t1")
    for item in steps:
        code = subs.apply(item.code)
        for example in ("/etc/dalil", "/opt/dalil", "dalil.example.org", "db.internal", "redis.internal", ":8001",
                        "dalil_owner", "dalil_app", "5432/dalil\n", "DATABASE dalil "):
            assert example not in code, (item.title, example)
