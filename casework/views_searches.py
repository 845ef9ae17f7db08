"""Saved searches of the case list: save the current one, open one (through the case list), delete your own."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casework import search_selectors, searches
from cases import searches as list_searches
from cases.list_filters import CaseFilterForm


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the search"), max_length=80, help_text=searches.NAME_WARNING)
    shared_with = forms.ChoiceField(label=gettext_lazy("Shared with"), required=False)
    current = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].choices = searches.sharing_choices(user)


def _current_filters(request, current: str) -> dict | None:
    """The filters of the list the user was looking at: a kept search (it may hold a name) or plain ones."""
    params = QueryDict(current)
    if params.get("s"):
        return list_searches.search_load(request, params["s"])
    return {k: v for k, v in params.items() if k in list_searches.plain_filters()}


@login_required
@require_POST
def search_save(request):
    form = SaveSearchForm(request.POST, user=request.user)
    if form.is_valid():
        data = _current_filters(request, form.cleaned_data["current"])
        filters = CaseFilterForm(data, user=request.user) if data is not None else None
        if filters is None or not filters.is_valid():
            form.add_error(None, _("That search is no longer available; please search again."))
        else:
            values = {k: v for k, v in filters.cleaned_data.items() if k != "q"}
            try:
                searches.saved_search_create(actor=request.user, name=form.cleaned_data["name"], query=filters.cleaned_data["q"],
                                             filters=values, shared_with=form.cleaned_data["shared_with"])
            except searches.SavedSearchError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Search saved."))
                return redirect(f"{reverse('cases:list')}?{form.cleaned_data['current']}")
    return render(request, "casework/saved_search_form.html", {"form": form}, status=400)


@login_required
@require_GET
def search_open(request, pk):
    search = search_selectors.saved_search_get_for(request.user, pk)
    data = searches.saved_search_opened(actor=request.user, search=search)
    # Through the case list: it scopes to this user's cases and records the read, as for any search.
    return redirect(f"{reverse('cases:list')}?s={list_searches.search_save(request, data)}")


@login_required
@require_POST
def search_delete(request, pk):
    search = search_selectors.own_saved_search_get(request.user, pk)
    searches.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("Saved search deleted."))
    return redirect("cases:list")
