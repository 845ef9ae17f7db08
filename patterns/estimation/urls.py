from django.urls import path

from patterns.estimation import views

urlpatterns = [
    path("", views.estimate_index, name="estimate_index"),
    path("<uuid:job_id>/", views.estimate_detail, name="estimate_detail"),
    path("<uuid:job_id>/estimate.csv", views.estimate_csv, name="estimate_csv"),
    path("<uuid:job_id>/estimate.pdf", views.estimate_pdf, name="estimate_pdf"),
]
