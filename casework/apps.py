from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from accounts.models import CaseUserObjectPermission
        from cases.access.grants import on_access_given
        from cases.sections import access_section_register, case_section_register
        from casework import list_hooks, receivers
        from casework.reviews import latest_review_for
        from casework.tag_selectors import tags_of_case_for
        from casework.views_manage import flagged_summary

        list_hooks.register()
        # The case page's review badge and tags, read in the case view (cases.sections).
        # The badge shows the newest review's state and reviewer only: the page has the case already.
        case_section_register("review", lambda user, case: latest_review_for(user, case=case))
        case_section_register("tags", tags_of_case_for)
        # The admins' access page counts the follow-ups a revoked grant left without an assignee, with a link to reassign.
        access_section_register("follow_ups", flagged_summary)

        post_delete.connect(receivers.grant_removed, sender=CaseUserObjectPermission, dispatch_uid="casework.grant_removed")
        on_access_given(receivers.access_given)
