"""Template helpers for Dalil pages."""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

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


@register.simple_tag
def case_rows(cases):
    """The rows of the case list. Written here rather than as a template loop: at 50 rows a page, the
    loop cost more than everything else on the page. Every value is escaped by format_html."""
    label = {
        "reference": gettext("Reference"), "person": gettext("Person"), "nationality": gettext("Nationality"),
        "status": gettext("Status"), "pathway": gettext("Pathway"), "updated": gettext("Updated"), "risk": gettext("risk"),
    }
    rows = []
    for case in cases:
        flags = mark_safe("".join(
            format_html(' <span class="badge badge-risk" title="{}">{}</span>', flag, label["risk"]) for flag in case.risk_flags
        ))
        rows.append(format_html(
            "<tr>"
            '<td data-label="{}"><a href="{}">{}</a></td>'
            '<td data-label="{}">{}{}</td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}"><span class="badge badge-{}">{}</span></td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td>'
            "</tr>\n",
            label["reference"], reverse("cases:detail", kwargs={"reference": case.reference}), case.reference,
            label["person"], case.person.display_name, flags,
            label["nationality"], case.person.get_nationality_display(),
            label["status"], case.status, case.get_status_display(),
            label["pathway"], case.get_pathway_display(),
            label["updated"], date_format(template_localtime(case.updated_at), "SHORT_DATE_FORMAT") if case.updated_at else "",
        ))
    return mark_safe("".join(rows))
