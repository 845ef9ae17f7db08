"""The whole URL configuration of a separate public intake host (DALIL_MODE=intake): the form and health checks."""

from django.urls import include, path

from intake import views_outbox
from ops import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("outbox/", views_outbox.outbox, name="outbox"),
    path("", include("intake.public_urls")),
]
