"""{% load audit_rows %}{% audit_rows events as rows %}: audit events as sentences for the reader (cases/audit_present.py).

Here and not in audit/: the sentences link to cases, and audit knows no case model."""

from django import template

from cases.audit_present import rows

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_rows(context, events):
    return rows(context["request"].user, events)


@register.filter
def object_kind(target_type: str) -> str:
    """'evidence.evidencefile' -> 'a file', in the reader's language: no codes on the page."""
    from cases.audit_present import kind_of

    return kind_of(target_type)
