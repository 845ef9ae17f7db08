from django.urls import include, path

from ops import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("manage/", include("config.urls_manage")),
    path("accounts/webauthn/", include("accounts.webauthn")),  # the library's views under our rules, its namespace
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch on every page
    path("api/v1/", include("api.urls")),
    path("api/", include("api.web_urls")),
    path("audit/", include("audit.urls")),
    path("evidence/", include("evidence.urls")),
    path("patterns/", include("patterns.urls")),
    path("intake/", include("intake.urls")),
    path("", include("casework.urls")),
    path("", include("retention.urls")),
    path("", include("intake.public_urls")),
    path("", include("referrals.urls")),
    path("", include("cases.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
