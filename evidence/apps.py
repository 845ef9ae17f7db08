from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence"

    def ready(self):
        from keys.rotation import register_rewrapper

        from evidence.services import evidence_rewrapper

        register_rewrapper(evidence_rewrapper)
