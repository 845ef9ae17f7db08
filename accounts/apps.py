from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save
        from django_otp_webauthn.models import WebAuthnCredential

        from accounts import signals
        from accounts.role_groups import sync_role_groups
        from accounts.roles import is_admin
        from audit.selectors import audit_admin_rule_register

        audit_admin_rule_register(is_admin)  # who reads the whole audit log: a rule of the roles, read by audit

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="accounts.user_logged_in")
        user_locked_out.connect(signals.on_user_locked_out, dispatch_uid="accounts.user_locked_out")
        post_save.connect(signals.on_credential_saved, sender=WebAuthnCredential, dispatch_uid="accounts.webauthn_saved")
        # The role groups follow accounts/roles.py after every migrate (and every test flush).
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="accounts.sync_role_groups")
