from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class KeysConfig(AppConfig):
    name = "keys"
    verbose_name = "Keys"

    def ready(self):
        from keys import checks as key_checks
        from keys.rotation import register_rewrapper
        from keys.store import rewrap_protection_keys

        register_rewrapper(rewrap_protection_keys)
        checks.register(key_checks.check_protection_keys, checks.Tags.database)
        checks.register(key_checks.check_key_layout)
        # A flush (tests) or a restore empties the key table: cached key ids must not outlive their rows.
        post_migrate.connect(_forget_keys, dispatch_uid="keys.forget_protection_keys")
        # A missing or unusable key-encryption key stops start-up with one line, before any page is served.
        key_checks.startup_check()


def _forget_keys(**kwargs):
    from keys.store import forget_keys

    forget_keys()
