"""The public side's addresses: all a separate intake host serves (DALIL_MODE=intake), and part of the full site."""

from django.urls import path

from intake import views_public

app_name = "report"

urlpatterns = [
    path("report/", views_public.choose, name="choose"),
    path("report/<str:lang>/", views_public.report, name="form"),
    path("report/<str:lang>/follow-up/", views_public.follow_up, name="follow_up"),
]
