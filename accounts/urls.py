from django.urls import path

from accounts import views, views_factors

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("2fa/", views_factors.enrol, name="2fa_enrol"),
    path("2fa/enrol/<str:token>/", views_factors.enrol_link, name="2fa_enrol_link"),
    path("2fa/verify/", views_factors.verify, name="2fa_verify"),
    path("2fa/totp/", views_factors.totp_setup, name="2fa_totp"),
    path("2fa/backup-codes/", views_factors.backup_codes, name="2fa_backup_codes"),
    path("2fa/security-key/", views_factors.security_key, name="2fa_security_key"),
    path("2fa/remove/<str:kind>/<int:pk>/", views_factors.device_remove, name="2fa_remove"),
]
