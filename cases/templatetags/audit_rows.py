"""{% load audit_rows %}: the names of the audit pages (the rows themselves come from the views: cases.audit_present).

Here and not in audit/: the kinds of object are the cases' own, and audit knows no case model."""

from django import template

register = template.Library()


@register.filter
def object_kind(target_type: str) -> str:
    """'evidence.evidencefile' -> 'a file', in the reader's language: no codes on the page."""
    from cases.audit_present import kind_of

    return kind_of(target_type)
