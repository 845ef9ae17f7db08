"""Build, package, verification, redaction, integrity and retry: the build service run in-process."""

import io
import json

import pytest
import pyzipper
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from audit.models import AuditEvent
from evidence.models import CustodyEvent
from referrals import services
from referrals.build import referral_build
from referrals.models import Referral
from audit.proofs import PackageError
from tests.referrals.conftest import CYRILLIC_NAME, FULL_NAME, SISTER, attach, build_now, download, make_referral, verify_package

NAME_PARTS = ["Rustam", "Nysanbaev", "Рустам", "Нысанбаев", "Aigerim", SISTER]


def _open(path, passphrase):
    zf = pyzipper.AESZipFile(path)
    zf.setpassword(passphrase.encode())
    return zf


def _pdf_text(zf) -> str:
    reader = PdfReader(io.BytesIO(zf.read("dossier.pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def built(legal, case, evidence_file, django_capture_on_commit_callbacks, tmp_path):
    referral = build_now(legal, make_referral(legal, case, files=[evidence_file]), django_capture_on_commit_callbacks)
    assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error
    passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
    path = download(legal, referral, tmp_path / "package.zip")
    return referral, passphrase, path


def test_package_verifies_offline(built, evidence_file):
    referral, passphrase, path = built
    assert referral.status == Referral.Status.BUILT
    report = verify_package(str(path), passphrase)
    assert report.ok, report.failed
    with _open(path, passphrase) as zf:
        assert sorted(zf.namelist()) == ["README.txt", "dossier.pdf", "exhibits/E01", "manifest.json", "verify.py"]
        assert all(info.flag_bits & 0x1 for info in zf.infolist())  # every entry encrypted
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("exhibits/E01") == b"%PDF-1.4 contract scan\n" * 100
    exhibit = manifest["exhibits"][0]
    assert exhibit["sha256"] == evidence_file.sha256
    assert [json.loads(e["event"])[5] for e in exhibit["custody"]][:2] == ["evidence.file.received", "evidence.file.hashed"]
    assert all(e["inclusion_path"] is not None for e in exhibit["custody"])
    assert manifest["checkpoint"]["verifier_key"].startswith("dalil.invalid/audit+")
    call_command("verify_referral", str(path), passphrase=passphrase)


def test_build_download_and_states_are_audited_and_in_custody(built, legal, evidence_file):
    referral, _passphrase, _path = built
    import datetime

    services.referral_mark_sent(actor=legal, referral=referral, sent_on=datetime.date.today(), channel="email")
    services.referral_mark_acknowledged(actor=legal, referral=referral, acknowledged_on=datetime.date.today())
    services.referral_close(actor=legal, referral=referral, closed_on=datetime.date.today(), outcome="proceedings")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED and referral.outcome == "proceedings"
    actions = list(AuditEvent.objects.filter(target_id=str(referral.pk)).values_list("action", flat=True))
    for action in ("referral.created", "referral.build.requested", "referral.built", "referral.passphrase.shown",
                   "referral.downloaded", "referral.sent", "referral.acknowledged", "referral.closed"):
        assert action in actions
    steps = [c.detail.get("step") for c in CustodyEvent.objects.filter(file=evidence_file) if c.detail.get("referral")]
    assert steps == ["built", "downloaded", "sent", "acknowledged", "closed"]
    with pytest.raises(ValidationError):  # a closed referral is not sent again
        services.referral_mark_sent(actor=legal, referral=referral, sent_on=datetime.date.today(), channel="email")
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.CLOSED


def test_passphrase_is_shown_once(built, legal):
    referral, _passphrase, _path = built
    shown = AuditEvent.objects.filter(target_id=str(referral.pk), action="referral.passphrase.shown").count()
    with pytest.raises(ValidationError, match="already been shown"):
        services.referral_passphrase_reveal(actor=legal, referral=referral)
    referral.refresh_from_db()
    assert referral.passphrase_wrapped is None
    assert AuditEvent.objects.filter(target_id=str(referral.pk), action="referral.passphrase.shown").count() == shown


def test_tampered_package_fails(built, tmp_path):
    referral, passphrase, path = built
    with _open(path, passphrase) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    tampered = tmp_path / "tampered.zip"
    with pyzipper.AESZipFile(tampered, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(passphrase.encode())
        for name, data in entries.items():
            zf.writestr(name, data.replace(b"contract", b"CONTRACT") if name.startswith("exhibits/") else data)
    report = verify_package(str(tampered), passphrase)
    assert not report.ok and any("exhibit E01" in f for f in report.failed)
    with pytest.raises(CommandError):
        call_command("verify_referral", str(tampered), passphrase=passphrase)

    with pytest.raises(PackageError, match="wrong passphrase"):
        verify_package(str(path), "not-the-passphrase")
    with pytest.raises(CommandError, match="wrong passphrase"):
        call_command("verify_referral", str(path), passphrase="not-the-passphrase")
    report = verify_package(str(path), passphrase, public_key="dalil.invalid/audit+00000000+AQ==")
    assert not report.ok


def test_pseudonymised_dossier_has_no_full_name_anywhere(built):
    _referral, passphrase, path = built
    with _open(path, passphrase) as zf:
        text = _pdf_text(zf)
        manifest = zf.read("manifest.json").decode()
        names = zf.namelist()
    assert "Person A" in text
    for part in NAME_PARTS + [FULL_NAME, CYRILLIC_NAME]:
        assert part not in text, part
        assert part not in manifest, part
        assert all(part not in n for n in names)
    # Kazakh and Uzbek letters render (and come back out of the PDF as text).
    assert "Қазақ ұлы" in text and "ўғли" in text and "Oʻzbek" in text
    assert "March 2024" in text and "12 Apr 2024" in text  # dates only as precise as known
    assert "Date precision: Month" in text


def test_full_identity_dossier_names_the_person(legal, case, django_capture_on_commit_callbacks, tmp_path):
    referral = build_now(legal, make_referral(legal, case, redaction="full"), django_capture_on_commit_callbacks)
    passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
    path = download(legal, referral, tmp_path / "full.zip")
    with _open(path, passphrase) as zf:
        text = _pdf_text(zf)
    assert FULL_NAME in text and "Нысанбаев" in text


def test_initials_dossier(legal, case, django_capture_on_commit_callbacks, tmp_path):
    referral = build_now(legal, make_referral(legal, case, redaction="initials"), django_capture_on_commit_callbacks)
    passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
    with _open(download(legal, referral, tmp_path / "i.zip"), passphrase) as zf:
        text = _pdf_text(zf)
    assert "R. N." in text and "Nysanbaev" not in text


def test_exhibit_failing_integrity_stops_the_build(legal, case, evidence_file, django_capture_on_commit_callbacks, settings):
    from evidence import blobs

    path = blobs.storage().path(evidence_file.blob_name)
    data = bytearray(open(path, "rb").read())
    data[200] ^= 0xFF
    open(path, "wb").write(bytes(data))
    referral = build_now(legal, make_referral(legal, case, files=[evidence_file]), django_capture_on_commit_callbacks)
    assert referral.build_status == Referral.BuildStatus.FAILED
    assert "Integrity check failed" in referral.build_error and "E01" in referral.build_error
    assert referral.status == Referral.Status.DRAFT and referral.package_name == ""
    assert not blobs.storage().exists(f"referrals/{referral.pk}")
    assert AuditEvent.objects.filter(action="referral.build.failed", target_id=str(referral.pk)).exists()


def test_build_is_idempotent_and_a_crashed_build_can_be_retried(legal, case, evidence_file, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from evidence import blobs
    from referrals.build import _claim

    referral = make_referral(legal, case, files=[evidence_file])
    with django_capture_on_commit_callbacks(execute=False):
        services.referral_build_request(actor=legal, referral=referral)
    referral.refresh_from_db()
    build_id = referral.build_id
    # A worker claims the build and dies: the referral stays "running", nothing is published.
    assert _claim(referral.pk, build_id) is not None
    Referral.objects.filter(pk=referral.pk).update(build_heartbeat_at=timezone.now() - timezone.timedelta(hours=1))
    referral.refresh_from_db()
    assert referral.build_status == Referral.BuildStatus.RUNNING and not referral.package_name
    assert services.build_is_stale(referral)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_build_retry(actor=legal, referral=referral)
    referral.refresh_from_db()
    assert referral.build_status == Referral.BuildStatus.DONE and referral.build_id == build_id
    name, sha = referral.package_name, referral.package_sha256
    # The same message again (a redelivery) changes nothing.
    assert referral_build(referral_id=referral.pk, build_id=build_id) == "skipped"
    referral.refresh_from_db()
    assert (referral.package_name, referral.package_sha256) == (name, sha)
    assert AuditEvent.objects.filter(action="referral.built", target_id=str(referral.pk)).count() == 1
    listing = blobs.storage().listdir(f"referrals/{referral.pk}")[1]
    assert listing == [f"{build_id}.zip"]  # no partial file beside it
