"""What a referral may include under the consent in force, and why not when it may not.

The newest Consent record of a case is the one in force (cases.selectors.consent_in_force).
Its scope for the kind of recipient (models.CONSENT_SCOPE) must be granted for anything
of the case to be shared; a contact's details also need that contact's own agreement
to be contacted. Each refusal carries a sentence the page shows next to the item.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from cases.models import Consent, Contact
from cases.selectors import consent_in_force

from referrals.models import CONSENT_SCOPE, RecipientKind


@dataclass(frozen=True)
class ConsentDecision:
    allowed: bool
    reason: str
    consent: Consent | None
    scope: str


def scope_label(scope: str) -> str:
    return str(Consent._meta.get_field(scope).verbose_name)


def case_decision(user, *, case, recipient_kind: str) -> ConsentDecision:
    """May anything of this case go to this kind of recipient?"""
    scope = CONSENT_SCOPE[RecipientKind(recipient_kind)]
    consent = consent_in_force(user, case=case)
    kind_label = RecipientKind(recipient_kind).label
    if consent is None:
        return ConsentDecision(
            False,
            _("No consent is recorded for this case, so nothing of it may be shared (recipient: %(kind)s).") % {"kind": str(kind_label).lower()},
            None,
            scope,
        )
    if not getattr(consent, scope):
        given = formats.date_format(consent.given_on, "DATE_FORMAT")
        return ConsentDecision(
            False,
            _("The consent in force (%(by)s, %(date)s) does not cover %(scope)s, which this recipient (%(kind)s) needs.")
            % {"by": str(consent.get_given_by_display()).lower(), "date": given, "scope": scope_label(scope), "kind": str(kind_label).lower()},
            consent,
            scope,
        )
    return ConsentDecision(True, "", consent, scope)


def contact_refusal(contact: Contact) -> str:
    """Why a contact's details may not be included, or '' if they may."""
    if not contact.consents_to_contact:
        return _("This contact has not agreed to be contacted, so their details stay with us.")
    return ""


def file_refusal(evidence_file) -> str:
    """Why an evidence file may not be included, or '' if it may."""
    if getattr(evidence_file, "withheld_from_referrals", False) or getattr(evidence_file, "no_sharing", False):
        return _("This file is marked as not to be shared outside the organisation.")
    return ""
