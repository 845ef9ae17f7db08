"""The package passphrase: made at a build request, wrapped under the key ring, shown once, then erased."""

from __future__ import annotations

import base64
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from common.transactions import service
from keys import ring
from keys.purposes import REFERRAL_PASSPHRASE, key_context
from referrals.models import Referral


def new_passphrase_seed() -> bytes:
    return secrets.token_bytes(32)


def passphrase_from_seed(seed: bytes) -> str:
    """A 160-bit passphrase in groups a person can read out and type: 'ABCD-EFGH-…'."""
    text = base64.b32encode(seed[:20]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def passphrase_context(referral: Referral, build_id) -> bytes:
    return key_context(REFERRAL_PASSPHRASE, referral.pk, build_id)


def passphrase_for_build(referral: Referral) -> str:
    """Unwrap the package passphrase (used by the build, and by the one-time reveal)."""
    seed = ring.unwrap(referral.passphrase_kek_id, bytes(referral.passphrase_wrapped), context=passphrase_context(referral, referral.build_id))
    return passphrase_from_seed(seed)


@service
def referral_passphrase_reveal(*, actor, referral: Referral) -> str:
    """Show the package passphrase once, then erase it. Caller holds prepare_referral. Audit: referral.passphrase.shown."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.build_status != Referral.BuildStatus.DONE or referral.passphrase_wrapped is None:
        raise ValidationError(_("The passphrase has already been shown, or the package is not built yet."))
    passphrase = passphrase_for_build(referral)
    referral.passphrase_kek_id = ""
    referral.passphrase_wrapped = None
    referral.save(update_fields=["passphrase_kek_id", "passphrase_wrapped", "updated_at"])
    audit_record(actor=actor, action=actions.REFERRAL_PASSPHRASE_SHOWN, target=referral, case=referral.case, fields=["passphrase_wrapped"])
    return passphrase
