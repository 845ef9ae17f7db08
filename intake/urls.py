from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("retention", views.retention, name="retention"),
    path("case/<str:reference>/", views.for_case, name="for_case"),
    path("<uuid:submission_id>/", views.detail, name="detail"),
    path("<uuid:submission_id>/decide", views.decide, name="decide"),
    path("<uuid:submission_id>/reply", views.reply, name="reply"),
    path("<uuid:submission_id>/files/<int:attachment_id>", views.attachment, name="attachment"),
]
