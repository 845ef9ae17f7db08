"""Thin Celery wrappers: ids in, the build service does the work."""

from celery import shared_task


@shared_task(name="referrals.build", acks_late=True, reject_on_worker_lost=True)
def referral_build_task(referral_id: str, build_id: str) -> str:
    """Build one requested referral package. Idempotent: a redelivered or repeated message does nothing more."""
    from referrals.build import referral_build

    return referral_build(referral_id=referral_id, build_id=build_id)
