"""One purpose per key: a key file names its purpose, and is refused wherever another purpose is expected."""

import io
import re
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import keys as audit_keys
from keys import keyfile, ring
from keys.purposes import AUDIT_CHAIN, AUDIT_SIGNING, INTAKE, KEK, KEY_PURPOSES, TOKEN_PEPPER
from tests.evidence.conftest import moto_server  # noqa: F401 (a fixture)

SINGLE = (AUDIT_CHAIN, AUDIT_SIGNING, TOKEN_PEPPER, INTAKE)


def _generate(purpose, path, *extra) -> list[str]:
    out = io.StringIO()
    call_command("keys_generate", "--purpose", purpose.name, "--out", str(path), *extra, stdout=out)
    return out.getvalue().split()


@pytest.mark.parametrize("name", sorted(KEY_PURPOSES))
def test_keys_generate_writes_one_line_naming_the_purpose(name, tmp_path):
    purpose = KEY_PURPOSES[name]
    path = tmp_path / name
    printed = _generate(purpose, path)
    line = path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o600" and line.endswith("\n") and line.count("\n") == 1
    fmt, named, key_id, material = line.strip().split(":", 3)
    assert (fmt, named, key_id) == ("dalil-key-v1", name, printed[0])
    key = keyfile.read(path, purpose=purpose, where="test")
    assert key.id == keyfile.derive_id(purpose, key.material) and key.id.startswith(name + "-")
    if purpose is INTAKE:
        from pyrage import x25519

        assert printed[1] == str(x25519.Identity.from_str(material).to_public()) and printed[1].startswith("age1")
    else:
        assert len(printed) == 1 and len(key.material) == 32


def test_keys_generate_never_overwrites(tmp_path):
    path = tmp_path / "kek"
    path.write_text("precious\n")
    with pytest.raises(CommandError, match="exists already"):
        _generate(KEK, path)
    assert path.read_text() == "precious\n"
    assert _generate(KEK, tmp_path / "named", "--id", "kek-2026")[0] == "kek-2026"
    with pytest.raises(CommandError, match="key id"):
        _generate(KEK, tmp_path / "bad", "--id", "no:colons")
    assert not (tmp_path / "bad").exists()


def _line(purpose, key_id="k1"):
    return keyfile.generate(purpose, key_id=key_id).line


def _refused(call, *, expected, found):
    with pytest.raises(ImproperlyConfigured) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and f"purpose is '{found.name}'" in message and f"not '{expected.name}'" in message, message


@pytest.mark.parametrize("other", SINGLE, ids=lambda p: p.name)
def test_a_kek_of_another_purpose_is_refused_in_every_place(settings, tmp_path, other):
    settings.DALIL_KEK = _line(other)
    _refused(ring.current_kek_id, expected=KEK, found=other)
    settings.DALIL_KEK = _line(KEK, "good") + "," + _line(other)
    _refused(ring.current_kek_id, expected=KEK, found=other)
    settings.DALIL_KEK = ""
    path = tmp_path / "kek"
    path.write_text(_line(other))
    settings.DALIL_KEK_FILE = str(path)
    _refused(ring.current_kek_id, expected=KEK, found=other)
    settings.DALIL_KEK_FILE = ""
    folder = tmp_path / "keks"
    folder.mkdir()
    (folder / "a.key").write_text(_line(KEK, "a"))
    (folder / "b.key").write_text(_line(other, "b"))
    settings.DALIL_KEK_DIR = str(folder)
    _refused(ring.current_kek_id, expected=KEK, found=other)


def test_an_audit_key_copied_into_the_development_kek_folder_is_refused(settings):
    """The bug of issue 16: the ring took every key file as a KEK and wrapped with the audit signing key."""
    audit_keys.signing_key()  # made under keys/audit-signing/
    assert ring.current_kek_id().startswith("kek-")
    signing = next((settings.DATA_DIR / "keys" / "audit-signing").glob("*.key"))
    (settings.DATA_DIR / "keys" / "kek" / "zz-copied.key").write_text(signing.read_text())
    _refused(ring.current_kek_id, expected=KEK, found=AUDIT_SIGNING)


@pytest.mark.parametrize("expected", SINGLE, ids=lambda p: p.name)
def test_single_keys_refuse_every_other_purpose(settings, expected):
    for other in KEY_PURPOSES.values():
        setattr(settings, expected.setting, _line(other))
        if other is expected:
            assert keyfile.load(expected).id == "k1"
        else:
            _refused(lambda: keyfile.load(expected), expected=expected, found=other)


def test_audit_keys_load_through_the_key_files(settings):
    seed = secrets.token_bytes(32)
    settings.DALIL_AUDIT_SIGNING_KEY = keyfile.key_line(AUDIT_SIGNING, "sig", seed)
    settings.DALIL_AUDIT_KEY = keyfile.key_line(AUDIT_CHAIN, "chain", b"c" * 32)
    assert audit_keys.audit_key() == b"c" * 32
    assert audit_keys.signing_key().private_bytes_raw() == seed
    settings.DALIL_AUDIT_KEY = "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2M="  # a bare secret, purpose unknown
    with pytest.raises(ImproperlyConfigured, match="DALIL_AUDIT_KEY: not a Dalil key line"):
        audit_keys.audit_key()


def test_development_keys_live_in_their_purpose_folders(settings):
    kek_id = ring.current_kek_id()
    audit_keys.audit_key(), audit_keys.signing_key()
    pepper, intake = keyfile.load(TOKEN_PEPPER), keyfile.load(INTAKE)
    root = settings.DATA_DIR / "keys"
    assert sorted(p.relative_to(root).parts[0] for p in root.rglob("*.key")) == sorted(KEY_PURPOSES)
    assert [p.stem for p in (root / "kek").glob("*.key")] == [kek_id]
    for purpose, key in ((TOKEN_PEPPER, pepper), (INTAKE, intake)):
        path = root / purpose.name / f"{key.id}.key"
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert keyfile.load(purpose) == key  # made once
    assert re.fullmatch(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", intake.material)


def test_production_makes_and_uses_no_development_key(settings):
    ring.current_kek_id(), audit_keys.audit_key()  # development keys exist now
    settings.DEBUG, settings.EMBEDDED, settings.TESTING = False, False, False
    ring.reset()
    for call, setting in ((ring.current_kek_id, "DALIL_KEK"), (audit_keys.audit_key, "DALIL_AUDIT_KEY")):
        with pytest.raises(ImproperlyConfigured, match=f"set {setting}"):
            call()


@pytest.mark.parametrize("tag", [None, "audit-signing"])
def test_a_kms_key_not_tagged_for_the_kek_purpose_is_refused(settings, moto_server, tag):  # noqa: F811
    import boto3

    client = boto3.client("kms", endpoint_url=moto_server, region_name="us-east-1")
    tags = [{"TagKey": "dalil-purpose", "TagValue": tag}] if tag else []
    settings.DALIL_KMS_KEY_ID = client.create_key(Tags=tags)["KeyMetadata"]["KeyId"]
    settings.DALIL_KMS_ENDPOINT_URL = moto_server
    settings.DALIL_KEK = _line(KEK, "local")
    with pytest.raises(ring.KeyUnavailable, match="dalil-purpose=kek"):
        ring.current_kek_id()
    with pytest.raises(ImproperlyConfigured, match="dalil-purpose=kek"):
        ring.check_keys()


def test_keys_generate_speaks_russian(tmp_path):
    from django.utils import translation

    path = tmp_path / "kek"
    path.write_text("precious\n")
    with translation.override("ru"), pytest.raises(CommandError, match="никогда не перезаписывается"):
        _generate(KEK, path)


def test_key_status_names_wrong_purposes_and_development_keys(settings, tmp_path):
    from keys.checks import key_status

    ring.current_kek_id()  # a development KEK
    settings.DALIL_AUDIT_KEY = _line(AUDIT_SIGNING)
    settings.DALIL_AUDIT_SIGNING_KEY = _line(AUDIT_SIGNING, "sig")
    status = {s["purpose"]: s for s in key_status()}
    assert status["kek"]["source"] == "development"
    assert status["audit-chain"]["source"] == "configured" and "'audit-signing'" in status["audit-chain"]["error"]
    assert status["audit-signing"] == {"purpose": "audit-signing", "source": "configured", "key_id": "sig", "error": ""}
    assert status["intake"]["source"] == "missing"
