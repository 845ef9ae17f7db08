"""Template helpers for Dalil pages."""

from django import template

from cases.dates import APPROXIMATE, UNKNOWN, format_approximate_date

register = template.Library()


@register.simple_tag
def approximate_date(value, precision):
    """A date shown only as precisely as it is known ('about March 2024', '2023', 'date unknown')."""
    return format_approximate_date(value, precision)


@register.filter
def is_approximate(precision) -> bool:
    return precision == APPROXIMATE


@register.filter
def is_unknown_date(obj) -> bool:
    """True for an event (or anything with date/date_precision) whose date is not known."""
    return getattr(obj, "date", None) is None or getattr(obj, "date_precision", UNKNOWN) == UNKNOWN


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list URL with another page number, keeping search and filters."""
    querystring = context.get("querystring", "")
    return f"?{querystring}&page={number}" if querystring else f"?page={number}"


@register.simple_tag
def consent_scopes(consent):
    """(label, agreed) for every scope of a consent record, agreed or not: a refusal is worth showing."""
    return [(consent._meta.get_field(name).verbose_name, getattr(consent, name)) for name in consent.SCOPES]
