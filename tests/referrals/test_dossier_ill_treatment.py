"""A dossier's timeline carries what a medical-legal reader needs of an ill-treatment event, redacted like the rest."""

from cases import services as case_services
from referrals.dossier import dossier_data
from tests.referrals.conftest import make_referral


def test_the_dossier_lists_methods_examination_and_documentation(caseworker, legal, case):
    case_services.event_add(actor=caseworker, case=case, data={
        "type": "ill_treatment", "date": None, "date_precision": "unknown",
        "ill_treatment_methods": ["beating", "electric"], "ill_treatment_duration": "About three hours",
        "injuries_reported": "Broken rib", "medical_exam": "refused", "documentation": "none",
    })
    referral = make_referral(legal, case)
    data = dossier_data(referral=referral, user=legal, exhibits=[])
    entry = next(e for e in data["timeline"] if e["type"] == "Ill-treatment or torture")
    assert "Methods: Beating or other blunt trauma; Electric shock" in entry["details"]
    assert "Medical examination: Asked for, and refused" in entry["details"]
    assert "Documentation: None" in entry["details"]
    assert "Injuries reported: Broken rib" in entry["details"]
