"""The case-access pages of the manage site; config/urls_manage.py joins them to accounts' under /manage/ and its
namespace `manage`."""

from django.urls import path

from cases import views_access as views

urlpatterns = [
    path("assignments/", views.assignments, name="assignments"),
    path("cases/<str:reference>/access/", views.case_access, name="case_access"),
    path("cases/<str:reference>/access/change/", views.case_access_change, name="case_access_change"),
    path("cases/<str:reference>/share/", views.case_share, name="case_share"),
]
