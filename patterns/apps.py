from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatternsConfig(AppConfig):
    name = "patterns"
    verbose_name = _("Patterns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases.sections import case_opened_notice_register
        from patterns.notices import warn_of_duplicates

        case_opened_notice_register(warn_of_duplicates)
