"""What casework adds to the case list (cases/list_filters.py): the tag and "needs attention" filters, each
row's tags with the counts by tag, and the user's saved searches. Registered in CaseworkConfig.ready()."""

from __future__ import annotations

from django import forms
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from casework import attention, search_selectors, searches, tag_selectors
from cases.list_filters import ListFilter, register_filter, register_page_hook


def _tag_field(user) -> forms.Field:
    choices = [("", _("Any"))]
    for tag in tag_selectors.tags_all():
        choices.append((str(tag.pk), _("%(name)s (retired)") % {"name": tag.name} if tag.retired_at else tag.name))
    return forms.ChoiceField(label=_("Tag"), choices=choices, required=False)


def _attention_field(user) -> forms.Field:
    return forms.ChoiceField(
        label=_("Needs attention"), required=False,
        choices=[("", _("Any")), ("yes", _("Needs attention"))],
        help_text=_("Open cases with an overdue follow-up, a follow-up to take over, a review returned with comments, or no change for %(days)s days.") % {"days": attention.QUIET_DAYS},
    )


def _tags_aside(request, cases, page_cases) -> str:
    by_case = tag_selectors.tags_for_cases(request.user, page_cases)
    for case in page_cases:
        case.list_badges = [(tag.name, f"tag tag-{tag.colour}") for tag in by_case.get(case.pk, [])]
    counts = tag_selectors.tag_counts(cases)
    return render_to_string("casework/_tag_counts.html", {"counts": counts}) if counts else ""


def _searches_aside(request, cases, page_cases) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    # Rendered without the request: the page's context processors have run once already.
    context = {"searches": search_selectors.saved_searches_for(request.user), "current": query.urlencode(), "user": request.user,
               "sharing": searches.sharing_choices(request.user), "name_warning": searches.NAME_WARNING, "csrf_token": get_token(request)}
    return render_to_string("casework/_saved_searches.html", context)


def register() -> None:
    register_filter(ListFilter("tag", _tag_field, lambda user, cases, value: tag_selectors.with_tag(cases, value)))
    register_filter(ListFilter("attention", _attention_field, lambda user, cases, value: attention.needs_attention(cases)))
    register_page_hook("casework.searches", _searches_aside)
    register_page_hook("casework.tags", _tags_aside)
