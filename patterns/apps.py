from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatternsConfig(AppConfig):
    name = "patterns"
    verbose_name = _("Patterns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from patterns.access import grant_aggregate_permission

        # The role groups belong to the access app and may be created after our own migration ran;
        # granting again after every migrate keeps legal and admin able to see aggregates.
        post_migrate.connect(grant_aggregate_permission, sender=self, dispatch_uid="patterns-grant-aggregates")
