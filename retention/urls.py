from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.review, name="review"),
    path("retention/policies", views.policies, name="policies"),
    path("retention/prepare", views.prepare, name="prepare"),
    path("retention/destroy", views.destroy, name="destroy"),
    path("retention/cases/<str:reference>/", views.case_retention, name="case"),
]
