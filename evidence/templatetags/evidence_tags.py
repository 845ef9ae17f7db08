"""The case page's "Files" section: one include line in templates/cases/case_detail.html."""

from django import template
from django.template.defaultfilters import filesizeformat

from evidence import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_files(context, case):
    request = context.get("request")
    if request is None:
        return []
    return list(selectors.files_for(request.user, case=case))


@register.filter
def size(value) -> str:
    return filesizeformat(value)
