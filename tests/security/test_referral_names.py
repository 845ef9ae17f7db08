"""Issue 15/17, as an outsider reading a referral package: a relative's name, mentioned in an event's text in
any Russian case (Cyrillic or Latin, with or without ё), is absent from a pseudonymised and an initials dossier
and from the package's manifest. The forms are written out by hand."""

import datetime
import io
import re

import pytest
import pyzipper
from pypdf import PdfReader

from cases import access
from cases import services as case_services
from referrals import services
from referrals.models import Referral
from tests.referrals.conftest import _audit_checkpoints, build_now, caseworker, download, legal, make_referral  # noqa: F401

# Malika Rahimova (demo data: a sister) and her brother Jasur Rahimov, the person of the case.
SISTER_FORMS = ["Малика", "Малики", "Малике", "Малику", "Маликой", "Рахимова", "Рахимовой", "Рахимову",
                "Malika", "Maliki", "Malike", "Maliku", "Malikoi", "Malikoy", "Rakhimovoi", "Rakhimovoy", "Rahimovoy"]
TEXT = ("Сестра звонила: у Малики нет связи; Малике угрожали; видели Малику с Маликой; о Малике Рахимовой; "
        "Рахимову передали. Sister: Maliki, Malike, Maliku, Malikoi, Malikoy, Rakhimovoi, Rakhimovoy, Rahimovoy.")


@pytest.fixture
def case(caseworker, legal):  # noqa: F811
    case = case_services.case_create(
        actor=caseworker,
        person={"name_latin": "Jasur Rakhimov", "name_cyrillic": "Жасур Рахимов", "nationality": "UZ",
                "birth_date": datetime.date(1991, 1, 1), "birth_date_precision": "year"},
        contacts=[{"name": "Malika Rakhimova", "relationship": "sister", "is_reporter": True}],
    )
    case_services.event_add(actor=caseworker, case=case, data={"type": "detention", "date": datetime.date(2024, 3, 1),
                                                                "date_precision": "month", "description": TEXT})
    case_services.consent_record(actor=caseworker, case=case, data={
        "given_by": "person", "documentation": True, "share_lawyers": True, "share_un": True,
        "given_on": datetime.date(2024, 5, 1), "method": "written"})
    access.case_share_with_legal(actor=caseworker, case=case, user=legal)
    return case


@pytest.mark.parametrize("level", ["pseudonym", "initials"])
def test_a_relatives_name_in_an_events_text_is_not_in_the_package(legal, case, django_capture_on_commit_callbacks, tmp_path, level):  # noqa: F811
    referral = build_now(legal, make_referral(legal, case, redaction=level), django_capture_on_commit_callbacks)
    assert referral.build_status == Referral.BuildStatus.DONE, referral.build_error
    passphrase = services.referral_passphrase_reveal(actor=legal, referral=referral)
    with pyzipper.AESZipFile(download(legal, referral, tmp_path / "p.zip")) as zf:
        zf.setpassword(passphrase.encode())
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(zf.read("dossier.pdf"))).pages)
        text += zf.read("manifest.json").decode() + zf.read("README.txt").decode()
    words = set(re.findall(r"[^\W\d_]+", text))
    assert not words & set(SISTER_FORMS), words & set(SISTER_FORMS)
    assert "Сестра звонила" in text
