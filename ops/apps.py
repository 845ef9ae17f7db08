from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from keys.rotation import register_rewrapper
        from ops.backup import backups_rewrap

        register_rewrapper(backups_rewrap)
