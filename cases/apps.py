from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from evidence import keyring

        from cases.fields import rewrap_protection_keys

        # A missing or unusable key-encryption key stops start-up with one line, before any page is served.
        keyring.check_keys()
        keyring.register_rewrapper(rewrap_protection_keys)
        checks.register(check_protection_keys, checks.Tags.database)
        # A flush (tests) or a restore empties the key table: cached key ids must not outlive their rows.
        post_migrate.connect(_forget_keys, dispatch_uid="cases.forget_protection_keys")


def _forget_keys(**kwargs):
    from cases.fields import forget_keys

    forget_keys()


def check_protection_keys(app_configs=None, databases=None, **kwargs):
    """`manage.py check --database default` (and migrate): every stored field key opens with the configured KEKs."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from cases.fields import verify_protection_keys

    if not databases or "default" not in databases:
        return []
    try:
        verify_protection_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="cases.E001")]
    except DatabaseError:
        return []  # not migrated yet: nothing sealed, nothing to check
    return []
