"""The manage site is one namespace over two apps: accounts' user pages and cases' case-access pages."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.cast import sign_in

pytestmark = pytest.mark.django_db


def test_the_case_access_pages_keep_their_paths_under_manage():
    assert reverse("manage:assignments") == "/manage/assignments/"
    assert reverse("manage:case_access", kwargs={"reference": "R-1"}) == "/manage/cases/R-1/access/"
    assert reverse("manage:case_access_change", kwargs={"reference": "R-1"}) == "/manage/cases/R-1/access/change/"
    assert reverse("manage:case_share", kwargs={"reference": "R-1"}) == "/manage/cases/R-1/share/"
    assert resolve("/manage/cases/R-1/access/").func.__module__ == "cases.views_access"
    assert resolve("/manage/users/").func.__module__ == "accounts.views_manage"


def test_a_users_page_lists_the_cases_they_are_assigned_to_from_the_cases_section(cast):
    admin = sign_in(Client(), cast.admin1)
    owner = admin.get(reverse("manage:user_detail", kwargs={"pk": cast.caseworker1.pk}))
    access_link = reverse("manage:case_access", kwargs={"reference": cast.case.reference})
    assert owner.status_code == 200 and access_link in owner.content.decode()
    other = admin.get(reverse("manage:user_detail", kwargs={"pk": cast.caseworker2.pk})).content.decode()
    assert access_link not in other and cast.case.reference not in other
