from django.apps import AppConfig


class EstimationConfig(AppConfig):
    name = "patterns.estimation"
    label = "estimation"
    verbose_name = "Population estimates"
    default_auto_field = "django.db.models.BigAutoField"
