"""Tags, saved searches and the case list's new filters on a phone (390 px) and a laptop, in English and Russian."""

import pytest

from accounts.roles import CASEWORKER
from casework import searches, tags
from tests.cast import build_cast
from tests.fit import pages_that_do_not_fit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_pages_fit_a_phone_and_a_laptop_in_english_and_russian(browser, live_server, settings):
    settings.DALIL_2FA_REQUIRED_FOR = []
    cast = build_cast()
    long_tag = tags.tag_create(actor=cast.admin1, name="x" * 60, description="A long description " * 20, colour="purple")
    tag = tags.tag_create(actor=cast.admin1, name="Debt forgiveness offer with a long name", colour="green", safe_for_statistics=True)
    tags.tag_create(actor=cast.admin1, name="Not yet used on any case", colour="yellow")
    for t in (long_tag, tag):
        tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=t)
    searches.saved_search_create(actor=cast.caseworker1, name="A saved search with a rather long name " * 2, query="", filters={"status": "intake"},
                                 shared_with=CASEWORKER)
    ref = cast.case.reference
    visits = ((cast.caseworker1, ["/", "/?attention=yes", f"/?tag={tag.pk}&status=intake", f"/cases/{ref}/tags/", f"/cases/{ref}/",
                                f"/cases/{ref}/edit/", "/patterns/"]),
              (cast.admin1, ["/manage/tags/", "/manage/tags/new/", f"/manage/tags/{long_tag.pk}/", "/patterns/"]))
    problems = pages_that_do_not_fit(browser, live_server, visits, open_details=True)
    assert not problems, "\n".join(problems)
