from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from accounts.models import CaseUserObjectPermission
        from cases.access.grants import on_access_given
        from casework import list_hooks, receivers

        list_hooks.register()

        post_delete.connect(receivers.grant_removed, sender=CaseUserObjectPermission, dispatch_uid="casework.grant_removed")
        on_access_given(receivers.access_given)
