"""Retention pages on a phone (390 px) and a laptop, in English and Russian: no sideways scroll."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from retention import destruction, services
from tests.cast import build_cast
from tests.fit import pages_that_do_not_fit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _past(case, admin):
    Case.objects.filter(pk=case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=400))
    case.refresh_from_db()
    return case


def test_the_pages_fit_a_phone_and_a_laptop_in_english_and_russian(browser, live_server):
    cast = build_cast()
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    case, gone = _past(cast.case, cast.admin1), _past(cast.other_case, cast.admin1)
    services.hold_set(actor=cast.legal1, case=case, reason="A long reason for the hold " * 8)
    destruction.case_destroy(actor=cast.admin1, case=gone, reason="Past retention " * 10, confirmation=gone.reference)
    services.review_prepare(actor=cast.admin1)
    visits = ((cast.admin1, ["/retention/", f"/retention/cases/{case.reference}/", f"/cases/{gone.reference}/"]),
              (cast.legal1, [f"/retention/cases/{case.reference}/"]),
              (cast.outsider, [f"/cases/{gone.reference}/"]))
    problems = pages_that_do_not_fit(browser, live_server, visits, statuses=(200, 410))
    assert not problems, "\n".join(problems)
