"""The data the page walk needs: every kind of page has something to show, with the long values that break layouts."""

import datetime

from cases import services
from referrals import services as referral_services
from tests.cast import build_cast

LONG_NAME = ("Abdulazizkhon " * 29).strip()  # 405 characters with spaces
LONG_WORD = "Nysanbaevichkhonzodaulugbekovich" * 6  # 192 characters without a break


def build_walk_data():
    cast = build_cast()
    cw1, legal1 = cast.caseworker1, cast.legal1
    case = cast.case
    services.case_update(actor=cw1, case=case, person={"name_latin": LONG_NAME})
    place = services.location_create(actor=cw1, data={"name": "SIZO-1 " + LONG_WORD, "city": "Rostov-on-Don", "region": "Rostov"})
    source = services.source_add(actor=cw1, case=case, data={"kind": "family", "title": "Call from the sister " + LONG_WORD})
    services.event_add(
        actor=cw1, case=case,
        data={"type": "detention", "date": datetime.date(2024, 6, 1), "date_precision": "approximate", "location": place,
              "description": "Detained in a raid. " + LONG_WORD},
        sources=[source],
    )
    services.event_add(
        actor=cw1, case=case,
        data={"type": "contract", "date": datetime.date(2024, 7, 12), "date_precision": "day",
              "description": "Signed under threat.", "coercion_means": "prosecution", "contract_term_months": 12},
    )
    services.consent_record(
        actor=cw1, case=case,
        data={"given_by": "person", "documentation": True, "share_lawyers": True, "share_un": True,
              "given_on": datetime.date(2024, 8, 1), "method": "written"},
    )
    from evidence.services import evidence_attach

    evidence = evidence_attach(
        actor=cw1, case=case, content=b"%PDF-1.4 contract scan\n" * 50,
        original_name=f"contract_{LONG_WORD}.pdf", description="Contract scan " + LONG_WORD,
    )
    referral_services.assessment_item_save(actor=legal1, case=case, code="indicator:intimidation_threats", options=(), note="Threats of prosecution.")
    referral_services.referral_create(
        actor=legal1, case=case,
        data={"recipient_name": "Justice Partners " + LONG_WORD[:150], "recipient_kind": "lawyer", "person_redaction": "pseudonym",
              "family_redaction": "pseudonym", "sources_redaction": "pseudonym"},
        events=list(case.events.all()), files=[evidence],
    )
    from patterns import list_imports as pattern_services

    pattern_services.source_list_create(actor=cw1, data={"title": "Published list " + LONG_WORD[:150], "publisher": "A ministry"})
    return cast, evidence
