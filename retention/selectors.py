"""Reads for retention: which cases are past their period, what holds them, and who may see what remains.

Admins decide on retention without reading any case: these lists carry references, statuses and dates only.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from accounts.roles import LEGAL, is_admin, roles_of
from cases.models import Case
from cases.selectors import cases_for
from referrals.models import Referral
from retention.models import CaseTombstone, LegalHold, RetentionExtension, RetentionPolicy, RetentionReview


def may_hold(user) -> bool:
    """Admins and legal staff set and lift legal holds."""
    return is_admin(user) or LEGAL in roles_of(user)


def policies() -> dict[str, int]:
    return dict(RetentionPolicy.objects.values_list("status", "days"))


def cases_due(*, now: datetime.datetime | None = None) -> QuerySet[Case]:
    """Cases unchanged for longer than their status's period, not destroyed and not extended past today."""
    now = now or timezone.now()
    past = Q()
    for status, days in policies().items():
        past |= Q(status=status, updated_at__lt=now - datetime.timedelta(days=days))
    if not past:
        return Case.objects.none()
    extended = RetentionExtension.objects.filter(case=OuterRef("pk"), until__gte=timezone.localdate(now))
    return Case.objects.filter(past, tombstone__isnull=True).exclude(Exists(extended)).order_by("updated_at")


def standing_hold(case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).select_related("set_by").first()


def implied_holds(case) -> list[Referral]:
    """A referral still open, or one that opened proceedings, holds the case as a legal hold does."""
    open_or_proceeding = ~Q(status=Referral.Status.CLOSED) | Q(outcome=Referral.Outcome.PROCEEDINGS)
    return list(Referral.objects.filter(open_or_proceeding, case=case).only("id", "status", "outcome", "recipient_kind"))


def review_rows(cases) -> list[dict]:
    """One row per case for the review page: what holds it (if anything) and since when it is unchanged."""
    cases = list(cases)
    held = set(LegalHold.objects.filter(case__in=cases, lifted_at__isnull=True).values_list("case_id", flat=True))
    open_or_proceeding = ~Q(status=Referral.Status.CLOSED) | Q(outcome=Referral.Outcome.PROCEEDINGS)
    referred = set(Referral.objects.filter(open_or_proceeding, case__in=cases).values_list("case_id", flat=True))
    destroyed = set(CaseTombstone.objects.filter(case__in=cases).values_list("case_id", flat=True))
    return [
        {"case": c, "held": c.pk in held, "referral_open": c.pk in referred, "destroyed": c.pk in destroyed}
        for c in cases
    ]


def latest_review() -> RetentionReview | None:
    return RetentionReview.objects.first()


def case_for_retention(user, *, reference: str) -> Case:
    """Admins: any case not destroyed (by reference only; no content is shown). Legal staff: the cases they see."""
    if is_admin(user):
        qs = Case.objects.all()
    elif LEGAL in roles_of(user):
        qs = cases_for(user)
    else:
        raise Http404("No such case.")
    case = qs.filter(reference=reference, tombstone__isnull=True).first()
    if case is None:
        raise Http404("No such case.")
    return case


def viewer_ids(case) -> list[int]:
    """Everyone holding a grant on the case, directly or through a group (whose members are listed)."""
    from django.contrib.auth import get_user_model

    direct = set(CaseUserObjectPermission.objects.filter(content_object=case).values_list("user_id", flat=True))
    groups = CaseGroupObjectPermission.objects.filter(content_object=case).values_list("group_id", flat=True)
    via_groups = set(get_user_model().objects.filter(groups__in=groups).values_list("pk", flat=True))
    return sorted(direct | via_groups)


def tombstone_for(user, *, reference: str) -> CaseTombstone | None:
    """What remains of a destroyed case, for admins and for those who could see the case; None for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    tombstone = CaseTombstone.objects.filter(reference=reference).select_related("destroyed_by").first()
    if tombstone is None or not (is_admin(user) or user.pk in tombstone.viewer_ids):
        return None
    return tombstone
