"""Every write of the referrals app, one module per subject: assessment, review requests, drafts, builds and their
passphrase, and the states after the build.

Each public service is keyword-only, runs in one durable transaction and writes one audit event in it. The caller
resolved the case through a selector with the right permission (prepare_referral for legal work, view_case for a
review request). The build itself lives in referrals.build (it runs in a Celery worker).
"""

from referrals.services.assessment import (
    assessment_conclusion_save,
    assessment_item_save,
    assessment_link_add,
    assessment_link_remove,
)
from referrals.services.building import build_is_stale, referral_build_request, referral_build_retry, referral_download
from referrals.services.drafts import referral_create, referral_update
from referrals.services.passphrase import passphrase_for_build, passphrase_from_seed, referral_passphrase_reveal
from referrals.services.review import review_request
from referrals.services.states import referral_close, referral_mark_acknowledged, referral_mark_sent

__all__ = [
    "assessment_conclusion_save", "assessment_item_save", "assessment_link_add", "assessment_link_remove",
    "build_is_stale", "passphrase_for_build", "passphrase_from_seed", "referral_build_request", "referral_build_retry",
    "referral_close", "referral_create", "referral_download", "referral_mark_acknowledged", "referral_mark_sent",
    "referral_passphrase_reveal", "referral_update", "review_request",
]
