from django.urls import include, path

from patterns import views

app_name = "patterns"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("stats.csv", views.stats_csv, name="stats_csv"),
    path("research-export", views.research_export, name="research_export"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<uuid:list_id>/", views.list_detail, name="list_detail"),
    path("lists/<uuid:list_id>/uploads/<uuid:upload_id>/", views.upload_detail, name="upload_detail"),
    path("lists/<uuid:list_id>/uploads/<uuid:upload_id>/progress", views.upload_progress, name="upload_progress"),
    path("lists/<uuid:list_id>/match", views.list_match, name="list_match"),
    path("lists/<uuid:list_id>/candidates/<int:candidate_id>/<str:decision>", views.candidate_decide, name="candidate_decide"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("estimates/", include("patterns.estimation.urls")),
    path("duplicates/action", views.duplicate_action, name="duplicate_action"),
]
