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


def access_given(*, case, users, actor):
    """Inside the granting transaction: the people newly given access to a case (not by themselves) are notified."""
    from casework.notifications import Kind, notify

    notify(recipients=users, kind=Kind.CASE_SHARED, case=case, actor=actor)
