"""Every label a user sees on a form, a list or the admin, coming from a model, is in the Russian catalogue:
model names, field names and choice labels of Dalil's own apps (Django's own labels, such as those a user
model inherits, come translated in Django's catalogue)."""

import functools
from pathlib import Path

import django
import polib
from django.apps import apps
from django.utils.functional import Promise

from .test_catalogue import PO

ROOT = Path(__file__).resolve().parents[2]


def _our_apps() -> set[str]:
    """Every app of this repository (casework, retention, intake and patterns' estimation included), none of Django's."""
    # A virtualenv inside the checkout (.venv, as `make` makes it) holds the installed apps: not ours.
    return {config.label for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(ROOT) and "site-packages" not in Path(config.path).resolve().parts}


def _msgid(text):
    """The source string of a lazy translation, or None when the text was never marked for translation."""
    if isinstance(text, Promise):
        return text._args[0] if hasattr(text, "_args") else text._proxy____args[0]
    return None


def model_labels():
    """(where, text) for every user-facing label of our models; text is a lazy string or a plain one."""
    ours = _our_apps()
    for model in apps.get_models():
        if model._meta.app_label not in ours or model._meta.auto_created:
            continue
        label = model._meta.label
        yield f"{label} verbose_name", model._meta.original_attrs.get("verbose_name")
        yield f"{label} verbose_name_plural", model._meta.original_attrs.get("verbose_name_plural")
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created or not getattr(field, "concrete", False) or not getattr(field, "editable", False):
                continue
            if field.name in {"id", "created_at", "updated_at"}:
                continue
            yield f"{label}.{field.name} verbose_name", field._verbose_name
            for value, text in field.flatchoices if field.choices else ():
                yield f"{label}.{field.name} choice {value!r}", text


@functools.cache
def _django_catalogue() -> frozenset:
    """Messages Django itself translates into Russian (labels a model inherits, e.g. from AbstractUser)."""
    root = Path(django.__file__).parent
    return frozenset(e.msgid for mo in root.glob("**/locale/ru/LC_MESSAGES/django.mo") for e in polib.mofile(str(mo)) if e.msgstr)


def missing_labels(catalogue: polib.POFile) -> list[str]:
    known = {e.msgid for e in catalogue if not e.obsolete and (e.msgstr or any(e.msgstr_plural.values()))}
    missing = []
    for where, text in model_labels():
        if text is None or text == "":
            continue
        msgid = _msgid(text)
        if msgid is None:
            missing.append(f"{where}: {str(text)!r} is not marked for translation")
        elif msgid not in known and msgid not in _django_catalogue():
            missing.append(f"{where}: {msgid!r} is not in the Russian catalogue")
    return missing


def test_every_model_label_and_choice_is_in_the_russian_catalogue():
    missing = missing_labels(polib.pofile(str(PO)))
    assert not missing, "Mark with gettext_lazy, run config/locale/refresh.py and translate:\n" + "\n".join(missing)


def test_a_label_dropped_from_the_catalogue_is_caught():
    catalogue = polib.pofile(str(PO))
    marked = next(_msgid(text) for _where, text in model_labels() if _msgid(text))
    for entry in catalogue:
        if entry.msgid == marked:
            entry.msgstr = ""
    assert any(repr(marked) in line for line in missing_labels(catalogue))
