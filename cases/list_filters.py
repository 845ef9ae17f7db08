"""The case list's filters, and the ones apps above cases/ add to it (casework's tags, "needs attention").

cases/ knows nothing of those apps: each registers a ListFilter in its AppConfig.ready(), as key owners
register their re-wrappers with keys/rotation.py. A filter only narrows a queryset that already starts
from cases_for(user), so no filter can show a case its user may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Event, Person


@dataclass(frozen=True)
class ListFilter:
    name: str  # the form field and the URL parameter: its values must name nobody
    field: Callable[[object], forms.Field]  # user -> the form field (its choices may depend on the user)
    apply: Callable[[object, QuerySet, object], QuerySet]  # (user, scoped cases, cleaned value) -> cases


# What an app shows with a page of the list: (request, the filtered cases, the cases of the page) -> HTML to
# show above the results ("" for nothing). It may also give each case of the page `list_badges`: a list of
# (label, css class) shown beside the person.
PageHook = Callable[[object, QuerySet, list], str]

_FILTERS: dict[str, ListFilter] = {}
_PAGE_HOOKS: dict[str, PageHook] = {}


def register_filter(list_filter: ListFilter) -> None:
    _FILTERS[list_filter.name] = list_filter


def register_page_hook(name: str, hook: PageHook) -> None:
    _PAGE_HOOKS[name] = hook


def extra_filter_names() -> tuple[str, ...]:
    return tuple(_FILTERS)


def page_context(request, cases: QuerySet, page_cases: list) -> dict:
    """What the registered apps show with this page of the list (tags of each row, counts, saved searches)."""
    asides = [hook(request, cases, page_cases) for hook in _PAGE_HOOKS.values()]
    return {"list_asides": [html for html in asides if html]}


def _any(choices):
    return [("", _("Any"))] + [(value, label) for value, label in choices if value]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference or name, in Latin or Cyrillic")}))
    search_in = forms.ChoiceField(
        label=_("Search in"), required=False,
        choices=[("", _("The person's names")), ("reporter", _("The names of those who reported the case"))],
    )
    status = forms.ChoiceField(label=_("Status"), choices=_any(Case.Status.choices), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_any(Person._meta.get_field("nationality").choices), required=False)
    pathway = forms.ChoiceField(label=_("Pathway"), choices=_any(Case.Pathway.choices), required=False)
    event_type = forms.ChoiceField(label=_("Event type"), choices=_any(Event.Type.choices), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[("", _("Recently updated")), ("reference", _("Reference")), ("name", _("Name (within each page)"))],
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        sort = self.fields.pop("sort")
        for name, list_filter in _FILTERS.items():
            self.fields[name] = list_filter.field(user)
        self.fields["sort"] = sort

    def ordering(self) -> str:
        return self.cleaned_data.get("sort", "") if self.is_bound and self.is_valid() else ""

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "query": data.get("q", "").strip(),
            "search_in": data.get("search_in", ""),
            "status": data.get("status", ""),
            "nationality": data.get("nationality", ""),
            "pathway": data.get("pathway", ""),
            "event_type": data.get("event_type", ""),
        }

    def extra_filters(self) -> dict:
        """The registered filters that were given, by name (their cleaned values)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data[name] for name in _FILTERS if data.get(name) not in (None, "", [])}

    def apply_extra(self, cases: QuerySet) -> QuerySet:
        for name, value in self.extra_filters().items():
            cases = _FILTERS[name].apply(self.user, cases, value)
        return cases

    def extra_fields(self) -> list:
        return [self[name] for name in _FILTERS]


# The filter panel's fields as HTML, by what decides it: the language, the values chosen (each one of a field's
# choices, so naming nobody) and every field's choices (a renamed or new tag makes a new entry). Rendering its
# selects costs more than the rest of the list page (bench/load.py). A search text is never kept: a panel
# holding one, or holding errors, is rendered afresh every time.
_PANEL_HTML: dict[tuple, str] = {}
_PANEL_HTML_MAX = 256


def filter_panel_fields(form: CaseFilterForm) -> str:
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    def render() -> str:
        return render_to_string("cases/_filter_fields.html", {"form": form})

    if form.is_bound and (form.errors or any(form.data.get(name) for name in ("q", "search_in"))):
        return render()
    choices = tuple((name, tuple((str(value), str(label)) for value, label in field.choices))
                    for name, field in form.fields.items() if hasattr(field, "choices"))
    chosen = tuple(sorted((k, str(v)) for k, v in form.data.items())) if form.is_bound else ()
    key = (get_language(), chosen, choices)
    html = _PANEL_HTML.get(key)
    if html is None:
        if len(_PANEL_HTML) >= _PANEL_HTML_MAX:
            _PANEL_HTML.clear()
        html = _PANEL_HTML[key] = render()
    return html
