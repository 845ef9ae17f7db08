import pytest
from django.conf import settings


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """`make messages` compiles the catalogues; a bare pytest run gets them compiled here (.mo files are not committed)."""
    from django.core.management import call_command

    for po in settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            call_command("compilemessages", locale=[po.parent.parent.name], ignore_patterns=[".venv", "var"], verbosity=0)
