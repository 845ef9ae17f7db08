"""The rotate_keys re-wrapper of referral passphrase seeds (registered in ReferralsConfig.ready)."""

from __future__ import annotations

from django.db import transaction

from keys import ring
from referrals.models import Referral
from referrals.services.passphrase import passphrase_context  # the one statement of the wrapping context


def referral_passphrases_rewrap(*, progress) -> int:
    """Move every stored passphrase seed not under the newest KEK to it, one short transaction each (resumable)."""
    newest = ring.current_kek_id()
    pending = Referral.objects.exclude(passphrase_kek_id="").exclude(passphrase_kek_id=newest)
    ids = list(pending.filter(passphrase_wrapped__isnull=False).order_by("pk").values_list("pk", flat=True))
    for done, pk in enumerate(ids, start=1):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=pk)
            if referral.passphrase_kek_id and referral.passphrase_wrapped is not None:
                context = passphrase_context(referral, referral.build_id)
                referral.passphrase_kek_id, wrapped = ring.rewrap(
                    referral.passphrase_kek_id, bytes(referral.passphrase_wrapped), context=context
                )
                referral.passphrase_wrapped = wrapped
                referral.save(update_fields=["passphrase_kek_id", "passphrase_wrapped"])
        progress(done, len(ids), "referral passphrases")
    return len(ids)
