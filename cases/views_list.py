"""The case list: this user's cases, searched, filtered (also by the filters other apps register) and paged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit import actions
from cases import list_filters, searches, selectors
from cases.blind_index import sort_by_person_name
from cases.list_filters import CaseFilterForm
from cases.views import record_read

PAGE_SIZE = 25  # as the API's pages (REST_FRAMEWORK PAGE_SIZE): a phone's screenful of cards, a laptop's of rows
TEMPLATE = "cases/case_list.html"


def _case_list_form(request: HttpRequest) -> tuple[CaseFilterForm, str]:
    """The filters of this list request, and the query string its page links carry.

    A search text comes only from a search kept under an opaque id (cases/searches.py); the other
    filters name nobody and may also come from the URL.
    """
    search_id = request.GET.get("s", "")
    if search_id:
        data = searches.search_load(request, search_id)
        if data is None:
            messages.info(request, _("That search is no longer available; please search again."))
            return CaseFilterForm(user=request.user), ""
        return CaseFilterForm(data, user=request.user), f"s={search_id}"
    plain = {k: v for k, v in request.GET.items() if k in searches.plain_filters()}
    query = request.GET.copy()
    query.pop("page", None)
    return CaseFilterForm(plain or None, user=request.user), query.urlencode()


def _page_with_total(cases, number) -> Page:
    """The page asked for, its rows and the total in one query (COUNT(*) OVER () on each row): counting a
    thousand cases and then reading a page of them scans the user's grants twice."""
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    rows = list(cases.annotate(_total=Window(Count("pk")))[(wanted - 1) * PAGE_SIZE : wanted * PAGE_SIZE])
    paginator = Paginator(cases, PAGE_SIZE)
    if not rows:  # an empty list, or a page past the end: Django's way (count, then the last page)
        return paginator.get_page(number)
    paginator.count = rows[0]._total
    page = paginator.get_page(wanted)
    page.object_list = rows
    return page


def _refused(request: HttpRequest, form: CaseFilterForm) -> HttpResponse:
    return render(request, TEMPLATE, {"form": form, "filter_fields": list_filters.filter_panel_fields(form), "page": None, "filtered": True}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CaseFilterForm(request.POST, user=request.user)
        if not form.is_valid():
            return _refused(request, form)
        return redirect(f"{reverse('cases:list')}?s={searches.search_save(request, form.cleaned_data)}")
    if "q" in request.GET:
        # A name in a URL is already in the logs; refusing keeps any tool or bookmark from relying on it.
        form = CaseFilterForm({}, user=request.user)
        form.is_valid()
        form.add_error(None, _("Search with the form: a search is not taken from the address."))
        return _refused(request, form)
    form, querystring = _case_list_form(request)
    if form.is_bound and not form.is_valid():
        return _refused(request, form)
    filters = form.filters()
    cases = form.apply_extra(selectors.case_list_for(request.user, **filters))
    if form.ordering() == "reference":
        cases = cases.order_by("reference")
    page = _page_with_total(cases, request.GET.get("page"))
    if form.ordering() == "name":
        # Names are encrypted: the database cannot order them, so each page is sorted once decrypted.
        page.object_list = sort_by_person_name(page.object_list)
    record_read(request, actions.CASE_LIST_VIEWED, data={"cases": [str(case.pk) for case in page]})
    filtered = any(filters.values()) or bool(form.extra_filters())
    # An administrator with no case shared sees how many cases there are and why none is listed.
    unshared = selectors.case_total() if not page.paginator.count and not filtered and request.user.has_perm("accounts.manage_users") else 0
    context = {"form": form, "filter_fields": list_filters.filter_panel_fields(form), "page": page, "filtered": filtered,
               "querystring": querystring, "unshared": unshared}
    context.update(list_filters.page_context(request, cases, list(page.object_list)))
    context["rows"] = _rows(page.object_list)
    return render(request, TEMPLATE, context)


def _rows(cases) -> list[dict]:
    """What each row shows, worked out here once: in the template, a row's dozen lookups, filters and URL tag cost
    more than the rest of the page (bench/load.py). Risk flags first, then what the apps gave (list_badges)."""
    rows = []
    for case in cases:
        badges = [{"label": _("risk"), "css": "badge badge-risk", "title": flag} for flag in case.risk_flags]
        badges += [{"label": label, "css": f"badge {css}", "title": ""} for label, css in getattr(case, "list_badges", ())]
        rows.append({
            "url": reverse("cases:detail", kwargs={"reference": case.reference}), "reference": case.reference,
            "name": case.person.display_name, "badges": badges, "nationality": case.person.get_nationality_display(),
            "status": case.status, "status_label": case.get_status_display(), "pathway": case.get_pathway_display(),
            "updated": formats.date_format(timezone.localtime(case.updated_at), "DATE_FORMAT"),
        })
    return rows
