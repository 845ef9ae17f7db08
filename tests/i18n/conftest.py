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


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request with the Russian cookie leaves Russian active in this thread; later tests expect English."""
    yield
    from django.utils import translation

    translation.deactivate()
