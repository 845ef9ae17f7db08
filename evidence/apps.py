from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence"

    def ready(self):
        from cases.sections import case_section_register
        from keys.rotation import register_rewrapper

        from evidence.selectors import files_listed_for
        from evidence.services import evidence_rewrapper

        register_rewrapper(evidence_rewrapper)
        case_section_register("files", lambda user, case: files_listed_for(user, case=case))
