from django.urls import path

from casework import views, views_collab

app_name = "casework"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("cases/<str:reference>/follow-ups/", views.case_follow_ups, name="case_follow_ups"),
    path("cases/<str:reference>/follow-ups/<uuid:pk>/done", views.done, name="done"),
    path("cases/<str:reference>/notes/", views_collab.case_notes, name="case_notes"),
    path("cases/<str:reference>/reviews/", views_collab.case_reviews, name="case_reviews"),
    path("cases/<str:reference>/reviews/<uuid:pk>/answer", views_collab.review_answer, name="review_answer"),
    path("notifications/", views_collab.notification_list, name="notifications"),
    path("notifications/read", views_collab.notifications_read, name="notifications_read"),
    path("notifications/settings", views_collab.notification_settings, name="notification_settings"),
]
