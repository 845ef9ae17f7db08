import base64
import os
import secrets
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from keys import ring
from keys.keyfile import key_line
from keys.purposes import EVIDENCE, KEK, key_context
from keys.rotation import register_rewrapper, rewrappers, unregister_rewrapper


C = key_context(EVIDENCE, "evidence.evidencefile", "c")


def _file(n: int) -> bytes:
    return key_context(EVIDENCE, "evidence.evidencefile", n)


def _key_text(kek_id):
    return key_line(KEK, kek_id, secrets.token_bytes(32))


def test_wrap_unwrap_round_trip_with_context():
    key, kek_id, wrapped = ring.generate_data_key(context=_file(1))
    assert len(key) == 32 and kek_id == "test-1"
    assert key not in wrapped
    assert ring.unwrap(kek_id, wrapped, context=_file(1)) == key
    with pytest.raises(ring.KeyUnavailable):
        ring.unwrap(kek_id, wrapped, context=_file(2))


def test_newest_of_several_keys_wraps_and_old_still_unwraps(settings):
    key, old_id, wrapped = ring.generate_data_key(context=C)
    settings.DALIL_KEK = settings.DALIL_KEK + "," + _key_text("test-2")
    assert ring.current_kek_id() == "test-2"
    assert ring.unwrap(old_id, wrapped, context=C) == key
    new_id, new_wrapped = ring.rewrap(old_id, wrapped, context=C)
    assert new_id == "test-2" and ring.unwrap(new_id, new_wrapped, context=C) == key
    assert ring.rewrap(new_id, new_wrapped, context=C) == (new_id, new_wrapped)


def test_missing_and_wrong_key_raise_key_unavailable(settings):
    key, kek_id, wrapped = ring.generate_data_key(context=C)
    settings.DALIL_KEK = _key_text("other")
    with pytest.raises(ring.KeyUnavailable, match="not configured"):
        ring.unwrap(kek_id, wrapped, context=C)
    settings.DALIL_KEK = _key_text(kek_id)  # same id, different key
    with pytest.raises(ring.KeyUnavailable, match="does not open"):
        ring.unwrap(kek_id, wrapped, context=C)


def test_key_dir_newest_file_encrypts(settings, tmp_path):
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "2024.key").write_text(_key_text("2024") + "\n")
    (folder / "2025.key").write_text(_key_text("2025"))
    os.utime(folder / "2024.key", (time.time() - 100, time.time() - 100))
    settings.DALIL_KEK = ""
    settings.DALIL_KEK_DIR = str(folder)
    assert ring.current_kek_id() == "2025"
    assert ring.known_kek_ids()[-2:] == ["2024", "2025"]
    (folder / "2026.key").write_text(_key_text("kek-2026"))
    assert ring.current_kek_id() == "kek-2026"


def test_key_file(settings, tmp_path):
    path = tmp_path / "master.key"
    path.write_text(_key_text("master"))
    settings.DALIL_KEK = ""
    settings.DALIL_KEK_FILE = str(path)
    assert ring.current_kek_id() == "master"
    ring.check_keys()


def test_embedded_default_makes_a_dev_key(settings):
    settings.DALIL_KEK = ""
    assert ring.current_kek_id().startswith("kek-")
    files = list((settings.DATA_DIR / "keys" / "kek").glob("kek-*.key"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    assert ring.current_kek_id() == files[0].stem  # made once


@pytest.mark.parametrize(
    "value, message",
    [
        ("dalil-key-v1:kek:short:" + base64.b64encode(b"x" * 16).decode(), "32 bytes"),
        ("dalil-key-v1:kek:bad:!!not-a-key!!", "not standard base64"),
        ("bad:" + base64.b64encode(b"x" * 32).decode(), "not a Dalil key line"),
    ],
)
def test_bad_configuration_is_one_clear_line(settings, value, message):
    settings.DALIL_KEK = value
    with pytest.raises(ImproperlyConfigured, match=message) as err:
        ring.check_keys()
    assert "\n" not in str(err.value)


def test_missing_key_file_is_improperly_configured(settings, tmp_path):
    settings.DALIL_KEK = ""
    settings.DALIL_KEK_FILE = str(tmp_path / "absent.key")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        ring.check_keys()


def test_kms_generates_and_unwraps_with_context(kms_key, settings):
    assert ring.current_kek_id().startswith("kms:arn:aws:kms:")
    key, kek_id, wrapped = ring.generate_data_key(context=_file(9))
    assert kek_id == ring.current_kek_id() and key not in wrapped
    assert ring.unwrap(kek_id, wrapped, context=_file(9)) == key
    with pytest.raises(ring.KeyUnavailable, match="KMS refused"):
        ring.unwrap(kek_id, wrapped, context=_file(8))
    ring.check_keys()


def test_local_key_rewraps_into_kms(settings, moto_server):
    key, kek_id, wrapped = ring.generate_data_key(context=C)
    import boto3

    client = boto3.client("kms", endpoint_url=moto_server, region_name="us-east-1")
    key_id = client.create_key(Tags=[{"TagKey": "dalil-purpose", "TagValue": "kek"}])["KeyMetadata"]["KeyId"]
    settings.DALIL_KMS_KEY_ID = key_id
    settings.DALIL_KMS_ENDPOINT_URL = moto_server
    new_id, new_wrapped = ring.rewrap(kek_id, wrapped, context=C)
    assert new_id.startswith("kms:") and new_id.endswith(key_id)
    assert ring.unwrap(new_id, new_wrapped, context=C) == key


def test_register_rewrapper_is_idempotent():
    def mine(*, progress):
        return 0

    register_rewrapper(mine)
    register_rewrapper(mine)
    try:
        assert rewrappers().count(mine) == 1
    finally:
        unregister_rewrapper(mine)
