"""Fixtures for referrals: a caseworker's case shared with a legal user, with events, a source, consent and evidence."""

import datetime

import pytest

from cases import access, services
from cases.models import Location
from keys.keyfile import key_line
from keys.purposes import AUDIT_SIGNING
from tests.cast import role_user
from tests.factories import make_case

FULL_NAME = "Rustam Nysanbaev"
CYRILLIC_NAME = "Рустам Нысанбаев"
SISTER = "Aigerim Nysanbaeva"


# A fixed checkpoint key for the tests (any Ed25519 seed works; this one's verifier key has no '+' in its base64).
SIGNING_SEED = key_line(AUDIT_SIGNING, "referrals-test", bytes(32))


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path):
    """Each test publishes checkpoints into its own folder: a checkpoint of another database would not verify here."""
    settings.DALIL_AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    settings.DALIL_AUDIT_SIGNING_KEY = SIGNING_SEED
    settings.DALIL_2FA_REQUIRED_FOR = []
    yield


@pytest.fixture
def caseworker(db):
    return role_user("caseworker", username="cw-ref")


@pytest.fixture
def legal(db):
    return role_user("legal", username="legal-ref")


@pytest.fixture
def outsider(db):
    return role_user("caseworker", username="outsider-ref")


def build_case(caseworker, legal, *, consent=True, share_with_legal=True):
    case = make_case(actor=caseworker, name_latin=FULL_NAME, name_cyrillic=CYRILLIC_NAME)
    place = services.location_create(actor=caseworker, data={"name": "SIZO-1", "city": "Rostov-on-Don", "region": "Rostov"})
    source = services.source_add(actor=caseworker, case=case, data={"kind": "family", "title": "Aigerim's call"})
    e1 = services.event_add(
        actor=caseworker, case=case,
        data={"type": "detention", "date": datetime.date(2024, 3, 1), "date_precision": "month", "location": place,
              "description": "Rustam Nysanbaev was detained in a migrant raid. Рустама Нысанбаева били."},
        sources=[source],
    )
    e2 = services.event_add(
        actor=caseworker, case=case,
        data={"type": "contract", "date": datetime.date(2024, 4, 12), "date_precision": "day",
              "description": "Nysanbaev signed a contract under threat of prosecution. Қазақ ұлы, Oʻzbek ўғли.",
              "coercion_means": "prosecution", "contract_term_months": 12},
    )
    if consent:
        services.consent_record(
            actor=caseworker, case=case,
            data={"given_by": "person", "documentation": True, "share_lawyers": True, "share_un": True,
                  "given_on": datetime.date(2024, 5, 1), "method": "written"},
        )
    if share_with_legal:
        access.case_share_with_legal(actor=caseworker, case=case, user=legal)
    case.refresh_from_db()
    return case, [e1, e2], source


@pytest.fixture
def case_bundle(caseworker, legal):
    return build_case(caseworker, legal)


@pytest.fixture
def case(case_bundle):
    return case_bundle[0]


def attach(caseworker, case, content: bytes = b"%PDF-1.4 contract scan\n" * 100, name=f"{FULL_NAME.replace(' ', '_')}_contract.pdf"):
    from evidence.services import evidence_attach

    return evidence_attach(actor=caseworker, case=case, content=content, original_name=name, description="contract scan")


@pytest.fixture
def evidence_file(caseworker, case):
    return attach(caseworker, case)


def make_referral(legal, case, *, files=(), kind="lawyer", redaction="pseudonym", **data):
    from referrals import services

    return services.referral_create(
        actor=legal, case=case,
        data={"recipient_name": "Justice Partners", "recipient_kind": kind, "person_redaction": redaction,
              "family_redaction": redaction, "sources_redaction": redaction, **data},
        events=list(case.events.all()), files=list(files),
    )


def build_now(legal, referral, capture):
    """Request a build and run it (eagerly, on commit); return the referral refreshed."""
    from referrals import services

    with capture(execute=True):
        services.referral_build_request(actor=legal, referral=referral)
    referral.refresh_from_db()
    return referral


def download(legal, referral, path):
    from referrals import services

    with services.referral_download(actor=legal, referral=referral) as fh:
        path.write_bytes(fh.read())
    return path


def verify_package(path, passphrase=None, public_key=None):
    """The package's own verifier (audit/proofs.py), on a ZIP or an extracted folder."""
    from audit import proofs

    return proofs.verify_package(proofs.open_package(str(path), passphrase), public_key=public_key)
