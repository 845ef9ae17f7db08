"""Notifications: written as ids and a kind by the services that cause them, shown through the reader's scope.

A notification never stores words or protected values. Its sentence is written when it is shown, from the case
reference and the actor's username, and only while the reader may still see the case (cases_for) and still holds
the role the kind needs: losing access to a case hides its notifications at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ADMIN, roles_of
from cases.selectors import cases_for
from audit import actions
from audit.services import audit_record
from casework.models_collab import Notification, NotificationSetting
from common.transactions import service

log = logging.getLogger(__name__)
Kind = Notification.Kind
INTAKE_PERMISSION = "intake.triage"


def notify(*, recipients: Iterable, kind: str, case=None, case_id=None, object_id="", actor=None) -> int:
    """Inside the caller's transaction: one notification per recipient (never the actor), ids only. Returns how many
    were offered (those already there are kept as they are)."""
    actor_pk = getattr(actor, "pk", None)
    rows = [
        Notification(recipient=user, kind=kind, case_id=getattr(case, "pk", case_id), object_id=str(object_id or ""), actor=actor if actor_pk else None)
        for user in {u.pk: u for u in recipients}.values()
        if user.pk != actor_pk and user.is_active
    ]
    # The sweeps run again and again: a notification already there is left as it is.
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications they may still see: of cases still theirs, of kinds their roles still allow."""
    qs = Notification.objects.filter(recipient=user).filter(Q(case__isnull=True) | Q(case__in=cases_for(user)))
    if ADMIN not in roles_of(user):
        qs = qs.exclude(kind=Kind.INTEGRITY_FAILED)
    if not user.has_perm(INTAKE_PERMISSION):
        qs = qs.exclude(kind=Kind.INTAKE_NEW)
    return qs


def unread_for(user) -> QuerySet[Notification]:
    return notifications_for(user).filter(read_at__isnull=True)


def unread_count(user) -> int:
    return unread_for(user).count()


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all, or those ids); someone else's ids change nothing."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@dataclass
class Shown:
    notification: Notification
    text: str
    url: str


def _words(kind: str) -> str:
    return {
        Kind.MENTION: _("%(actor)s mentioned you in a note on %(case)s"),
        Kind.REVIEW_REQUESTED: _("%(actor)s asks you to review %(case)s"),
        Kind.REVIEW_APPROVED: _("%(actor)s approved %(case)s"),
        Kind.REVIEW_RETURNED: _("%(actor)s returned %(case)s with comments"),
        Kind.CASE_SHARED: _("%(actor)s gave you access to %(case)s"),
        Kind.FOLLOW_UP_DUE: _("A follow-up on %(case)s is due today"),
        Kind.FOLLOW_UP_OVERDUE: _("A follow-up on %(case)s is overdue"),
        Kind.INTAKE_NEW: _("A new family report is waiting in the queue"),
        Kind.INTEGRITY_FAILED: _("An evidence file failed its integrity check"),
    }.get(kind, _("Something changed"))


def _url(notification: Notification) -> str:
    ref = notification.case.reference if notification.case_id else ""
    if notification.kind == Kind.MENTION:
        return reverse("casework:case_notes", kwargs={"reference": ref}) + f"#note-{notification.object_id}"
    if notification.kind in (Kind.REVIEW_REQUESTED, Kind.REVIEW_APPROVED, Kind.REVIEW_RETURNED):
        return reverse("casework:case_reviews", kwargs={"reference": ref})
    if notification.kind in (Kind.FOLLOW_UP_DUE, Kind.FOLLOW_UP_OVERDUE):
        return reverse("casework:case_follow_ups", kwargs={"reference": ref})
    if notification.kind == Kind.INTAKE_NEW:
        return reverse("intake:queue")
    if notification.kind == Kind.INTEGRITY_FAILED:
        return reverse("audit:log") + "?action=evidence.integrity.failed"
    return reverse("cases:detail", kwargs={"reference": ref}) if ref else reverse("casework:notifications")


def shown_for(user, *, limit: int = 100) -> list[Shown]:
    """The user's visible notifications, newest first, with their words written now."""
    out = []
    for notification in notifications_for(user).select_related("case", "actor").only(
        "id", "kind", "object_id", "created_at", "read_at", "case__id", "case__reference", "actor__username"
    )[:limit]:
        words = _words(notification.kind) % {"actor": notification.actor.get_username() if notification.actor_id else _("Someone"), "case": notification.case.reference if notification.case_id else ""}
        out.append(Shown(notification, words, _url(notification)))
    return out


def email_languages() -> list[tuple[str, str]]:
    site = dict(settings.LANGUAGES).get(settings.LANGUAGE_CODE, settings.LANGUAGE_CODE)
    return [("", _("The site's language (%(language)s)") % {"language": site}), *settings.LANGUAGES]


def email_language(user) -> str:
    """The language of e-mails to this user: their own choice, else the site's."""
    chosen = NotificationSetting.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class NotificationSettingsError(ValueError):
    pass


@service
def notification_settings_save(*, actor, email: str, email_digest: bool, language: str = "") -> list[str]:
    """The user's own address, digest choice and e-mail language. Audit: casework.notifications.settings_changed
    (which, not the address)."""
    if language not in dict(email_languages()):
        raise NotificationSettingsError(_("Choose one of the languages offered."))
    setting, _created = NotificationSetting.objects.get_or_create(user=actor)
    changed = []
    if setting.language != language:
        setting.language = language
        setting.save(update_fields=["language"])
        changed.append("language")
    if (actor.email or "") != email:
        if actor.email:
            transaction.on_commit(lambda old=actor.email, name=actor.get_username(): _tell_old_address(old, name, actor.pk))
        actor.email = email
        actor.save(update_fields=["email"])
        changed.append("email")
    if setting.email_digest != email_digest:
        setting.email_digest = email_digest
        setting.save(update_fields=["email_digest"])
        changed.append("email_digest")
    if changed:
        audit_record(actor=actor, action=actions.NOTIFICATION_SETTINGS_CHANGED, target=actor, fields=changed)
    return changed


def _tell_old_address(address: str, username: str, user_id: int) -> None:
    subject = _("The e-mail address of your Dalil account was changed")
    body = _("The e-mail address of the Dalil account %(username)s was changed; this address will get no more messages. "
             "If this was not you, tell your administrator at once.") % {"username": username}
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # the change stands; the audit log has it
        log.warning("could not tell the old address of user %s of its change", user_id)


def settings_of(user) -> dict:
    """The user's choices as the settings form shows them (the defaults until they save)."""
    setting = NotificationSetting.objects.filter(user=user).first()
    return {"email_digest": setting.email_digest if setting else True, "language": setting.language if setting else ""}
