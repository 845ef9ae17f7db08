from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("<str:reference>/", views.file_list, name="list"),
    path("<str:reference>/upload/", views.upload, name="upload"),
    path("<str:reference>/files/<uuid:file_id>/", views.file_detail, name="detail"),
    path("<str:reference>/files/<uuid:file_id>/download/", views.download, name="download"),
    path("<str:reference>/files/<uuid:file_id>/copies/<uuid:copy_id>/", views.working_copy, name="working_copy"),
    path("<str:reference>/files/<uuid:file_id>/progress/", views.progress, name="progress"),
    path("<str:reference>/files/<uuid:file_id>/custody.<str:fmt>", views.custody_export, name="custody_export"),
    path("<str:reference>/files/<uuid:file_id>/destroy/", views.destroy, name="destroy"),
]
