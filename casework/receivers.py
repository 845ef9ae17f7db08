"""When someone loses access to a case, their open follow-ups there are flagged for someone to take over."""

from django.db import transaction


def grant_removed(sender, instance, **kwargs):
    case_id, user_id = instance.content_object_id, instance.user_id

    def flag():
        from django.contrib.auth import get_user_model

        from cases.models import Case
        from casework.services import follow_ups_flag_lost_access

        case = Case.objects.filter(pk=case_id).first()
        user = get_user_model().objects.filter(pk=user_id).first()
        if case is not None and user is not None:
            follow_ups_flag_lost_access(case=case, user=user)

    transaction.on_commit(flag)


def assignment_added(sender, instance, created, raw=False, **kwargs):
    """Inside the granting transaction: the person given access to a case (not by themself) is notified."""
    from cases.access import REASON_CREATOR
    from casework.notifications import Kind, notify

    if not created or raw or instance.reason == REASON_CREATOR or instance.assigned_by_id in (None, instance.user_id):
        return
    notify(recipients=[instance.user], kind=Kind.CASE_SHARED, case_id=instance.case_id, actor=instance.assigned_by)
