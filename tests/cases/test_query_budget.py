"""The hot pages' database round trips (issue 16, bench/load.py): a budget per page, and no query per row.

Each page's count is an upper bound: a change that adds a query per event, contact, case or template tag fails
here before it shows as lost throughput under load.
"""

import datetime

from django.urls import reverse

from cases import services
from tests.factories import make_case

# Session, user (with roles and enrolment), the case with every permission held, its rows, the files, the
# referrals, tags and reviews, the navigation counts, and the audit event of the read (4 round trips).
CASE_PAGE_BUDGET = 20
CASE_LIST_BUDGET = 15


def _fill(case, actor, n):
    source = services.source_add(actor=actor, case=case, data={"kind": "family", "reliability": "confirmed", "title": "Call"})
    for i in range(n):
        services.event_add(actor=actor, case=case, data={"type": "detention", "date": datetime.date(2024, 1, 1 + i), "date_precision": "day",
                                                         "description": f"Held {i}"}, sources=[source])
        services.contact_add(actor=actor, case=case, data={"name": f"Relative {i}", "relationship": "brother"})


def _queries(client, django_assert_max_num_queries, path, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_case_page_within_budget_and_not_per_row(caseworker_client, caseworker, django_assert_max_num_queries):
    small, big = make_case(actor=caseworker), make_case(actor=caseworker)
    _fill(small, caseworker, 1)
    _fill(big, caseworker, 6)
    path = reverse("cases:detail", kwargs={"reference": small.reference})
    caseworker_client.get(path)  # warm: the first request fills the content-type and permission caches
    one = _queries(caseworker_client, django_assert_max_num_queries, path, CASE_PAGE_BUDGET)
    six = _queries(caseworker_client, django_assert_max_num_queries, reverse("cases:detail", kwargs={"reference": big.reference}), CASE_PAGE_BUDGET)
    assert six == one


def test_case_list_within_budget_and_not_per_case(caseworker_client, caseworker, django_assert_max_num_queries):
    make_case(actor=caseworker)
    caseworker_client.get(reverse("cases:list"))  # warm
    one = _queries(caseworker_client, django_assert_max_num_queries, reverse("cases:list"), CASE_LIST_BUDGET)
    for i in range(5):
        make_case(actor=caseworker, name_latin=f"Other Person {i}")
    assert _queries(caseworker_client, django_assert_max_num_queries, reverse("cases:list"), CASE_LIST_BUDGET) == one
