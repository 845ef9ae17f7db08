"""Per-case access rules in one place (Wagtail-style permission policy).

The access issue fills this in with django-guardian grants; until then every
signed-in user may work on every case and creating a case grants nothing.
"""

from cases.models import Case


def on_case_created(*, case: Case, actor) -> None:
    """Called inside case_create's transaction: the creator's grants on the new case."""
    return None
