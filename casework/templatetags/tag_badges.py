"""The tags of a case on its page, read through the case the page already resolved for its user."""

from django import template

from casework.tag_selectors import tags_of_case_for

register = template.Library()


@register.inclusion_tag("casework/_case_tags.html", takes_context=True)
def case_tags(context, case):
    return {"case": case, "tags": tags_of_case_for(context["request"].user, case)}
