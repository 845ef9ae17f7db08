"""The system's side of notifications: the sweep that notices what is due or new, and the daily e-mail digest.

The digest carries counts and two links, nothing else: no name, no case reference, no word of a case. An e-mail
leaves our hands (the mail provider, a phone's lock screen), so it says only that there is work waiting.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import ADMIN
from audit import actions
from audit.services import audit_record
from casework.models import FollowUp
from casework.models_collab import NotificationSetting
from casework.notifications import INTAKE_PERMISSION, Kind, email_language, notifications_for, notify
from casework.reviews import waiting_for

SYSTEM = "system:casework"
# A follow-up is announced on its due day and, once, on each of the few days after; older ones are on My work.
OVERDUE_WINDOW_DAYS = 3
RECENT_DAYS = 2


def _sweep_follow_ups(today: datetime.date) -> int:
    made = 0
    open_ones = FollowUp.objects.filter(done_at__isnull=True, flagged=False, assignee__is_active=True).select_related("assignee")
    for fu in open_ones.filter(due__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS), due__lte=today):
        kind = Kind.FOLLOW_UP_DUE if fu.due == today else Kind.FOLLOW_UP_OVERDUE
        made += notify(recipients=[fu.assignee], kind=kind, case_id=fu.case_id, object_id=fu.pk)
    return made


def _sweep_intake(today: datetime.date) -> int:
    from intake.models import Submission

    ids = list(Submission.objects.filter(status=Submission.Status.NEW, received_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
               .values_list("pk", flat=True)[:500])
    if not ids:
        return 0
    triagers = list(get_user_model().objects.with_perm(INTAKE_PERMISSION, include_superusers=False, backend="accounts.backends.UserBackend").filter(is_active=True))
    return sum(notify(recipients=triagers, kind=Kind.INTAKE_NEW, object_id=pk) for pk in ids)


def _sweep_integrity(now) -> int:
    from evidence.models import EvidenceFile

    ids = list(EvidenceFile.objects.filter(integrity_ok=False, integrity_checked_at__gte=now - datetime.timedelta(days=RECENT_DAYS))
               .values_list("pk", flat=True)[:500])
    if not ids:
        return 0
    admins = list(get_user_model().objects.filter(groups__name=ADMIN, is_active=True))
    return sum(notify(recipients=admins, kind=Kind.INTEGRITY_FAILED, object_id=pk) for pk in ids)


def notifications_sweep() -> int:
    """Beat, every few minutes: follow-ups due or overdue, new family reports, failed integrity checks. Idempotent."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        return _sweep_follow_ups(timezone.localdate()) + _sweep_intake(timezone.localdate()) + _sweep_integrity(now)


def digest_counts(user) -> dict[str, int]:
    unread = notifications_for(user).filter(read_at__isnull=True)
    return {
        "unread": unread.count(),
        "overdue": unread.filter(kind=Kind.FOLLOW_UP_OVERDUE).count(),
        "reviews": len(waiting_for(user)),
    }


def _base_url() -> str:
    return settings.DALIL_BASE_URL.rstrip("/")


def digest_text(counts: dict[str, int]) -> str:
    lines = [
        ngettext("%(n)d unread notification", "%(n)d unread notifications", counts["unread"]) % {"n": counts["unread"]},
        ngettext("%(n)d follow-up overdue", "%(n)d follow-ups overdue", counts["overdue"]) % {"n": counts["overdue"]},
        ngettext("%(n)d review waiting for you", "%(n)d reviews waiting for you", counts["reviews"]) % {"n": counts["reviews"]},
        "",
        _("Your notifications: %(url)s") % {"url": _base_url() + reverse("casework:notifications")},
        _("My work: %(url)s") % {"url": _base_url() + reverse("casework:my_work")},
        "",
        _("You can turn this e-mail off on the notifications page."),
    ]
    return "\n".join(lines)


def digests_send(*, today: datetime.date | None = None) -> int:
    """Beat, hourly: once a day, after DALIL_DIGEST_HOUR, one e-mail per user with an address, work waiting and the
    digest on. Audit: casework.digest.sent (how many, no one named)."""
    now = timezone.localtime()
    today = today or now.date()
    if now.hour < settings.DALIL_DIGEST_HOUR and today == now.date():
        return 0
    off = set(NotificationSetting.objects.filter(email_digest=False).values_list("user_id", flat=True))
    done = set(NotificationSetting.objects.filter(digest_sent_on=today).values_list("user_id", flat=True))
    sent = 0
    for user in get_user_model().objects.filter(is_active=True).exclude(email="").exclude(pk__in=off | done):
        counts = digest_counts(user)
        if not any(counts.values()):
            continue
        with translation.override(email_language(user)):
            send_mail(_("Dalil: work waiting for you"), digest_text(counts), None, [user.email])
        NotificationSetting.objects.update_or_create(user=user, defaults={"digest_sent_on": today})
        sent += 1
    if sent:
        with transaction.atomic(durable=True):
            audit_record(actor=None, action=actions.DIGEST_SENT, system=SYSTEM, data={"sent": sent})
    return sent
