from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("cases.urls")),
]
