from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from accounts.sections import user_section_register
        from audit.denials import denial_case_lookup_register
        from audit.selectors import audit_rows_register
        from cases.audit_present import rows
        from cases.models import Case
        from cases.selectors import assignments_of_user
        from keys.fields import register_search_hint

        audit_rows_register(rows)
        # A user's page of the manage site lists the cases they are assigned to (references and reasons only).
        user_section_register("assignments", lambda viewer, person: assignments_of_user(viewer, person=person))
        # A refused page's reference: does it name a case (recorded beside the refusal; never shown to the user)?
        denial_case_lookup_register(lambda reference: Case.objects.filter(reference=reference).first())

        # A lookup on an encrypted name or date names the search that answers it instead.
        hint = "the '{}' blind index (cases.blind_index.person_ids_matching)"
        for field in ("name_latin", "name_cyrillic", "aliases"):
            register_search_hint(f"cases.Person.{field}", hint.format("person_name"))
        register_search_hint("cases.Person.birth_date", hint.format("person_birth_date"))
