from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases.gone import register_gone_page
        from retention.views import tombstone_page

        # A destroyed case has no grants left, so its page answers 404; this shows its tombstone instead.
        register_gone_page(tombstone_page)
