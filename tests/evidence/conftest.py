"""Evidence fixtures: a key ring per test, and moto's server mode on loopback for KMS and S3."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keys.keyfile import key_line
from keys.purposes import KEK
from tests.conftest import need

MOTO = Path(sys.executable).parent / "moto_server"
KEY_SETTINGS = ("DALIL_KEK", "DALIL_KEK_FILE", "DALIL_KEK_DIR", "DALIL_KEK_CURRENT", "DALIL_KMS_KEY_ID", "DALIL_KMS_ENDPOINT_URL", "DALIL_KMS_REGION")


@pytest.fixture(autouse=True)
def _local_kek(settings, tmp_path):
    """Every evidence test wraps with its own local key, never the development key under var/."""
    from keys import ring

    # Settings override the environment in the key ring; "" hides whatever CI or a developer exported.
    for name in KEY_SETTINGS:
        setattr(settings, name, "")
    settings.DATA_DIR = tmp_path / "data"
    # The cast's passwords need no real hashing here; Argon2 would cost seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DALIL_KEK = key_line(KEK, "test-1", secrets.token_bytes(32))
    ring.reset()
    yield
    ring.reset()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_server():
    """moto's server mode speaking the AWS KMS and S3 APIs on loopback."""
    if not MOTO.exists():
        need("moto_server is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        need("moto_server did not start")
    old = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def kms_key(moto_server, settings):
    """A fresh KMS key on the moto server, configured as the newest KEK."""
    import boto3

    from keys import ring

    client = boto3.client("kms", endpoint_url=moto_server, region_name="us-east-1")
    key_id = client.create_key(Description="dalil test", Tags=[{"TagKey": "dalil-purpose", "TagValue": "kek"}])["KeyMetadata"]["KeyId"]
    settings.DALIL_KMS_KEY_ID = key_id
    settings.DALIL_KMS_ENDPOINT_URL = moto_server
    settings.DALIL_KMS_REGION = "us-east-1"
    ring.reset()
    yield key_id
    ring.reset()
