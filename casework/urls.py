from django.urls import path

from casework import views, views_collab, views_manage, views_searches, views_tags

app_name = "casework"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("cases/<str:reference>/follow-ups/", views.case_follow_ups, name="case_follow_ups"),
    path("cases/<str:reference>/follow-ups/<uuid:pk>/done", views.done, name="done"),
    path("cases/<str:reference>/follow-ups/<uuid:pk>/take", views.take_over, name="take_over"),
    path("cases/<str:reference>/tags/", views_tags.case_tags, name="case_tags"),
    path("cases/<str:reference>/tags/<uuid:pk>/remove", views_tags.case_tag_remove, name="case_tag_remove"),
    path("manage/cases/<str:reference>/follow-ups/", views_manage.manage_follow_ups, name="manage_follow_ups"),
    path("manage/cases/<str:reference>/follow-ups/<uuid:pk>/reassign", views_manage.manage_follow_up_reassign, name="manage_follow_up_reassign"),
    path("manage/tags/", views_tags.tag_list, name="tag_list"),
    path("manage/tags/new/", views_tags.tag_edit, name="tag_create"),
    path("manage/tags/<uuid:pk>/", views_tags.tag_edit, name="tag_edit"),
    path("manage/tags/<uuid:pk>/retire", views_tags.tag_retire, name="tag_retire"),
    path("searches/save", views_searches.search_save, name="search_save"),
    path("searches/<uuid:pk>/", views_searches.search_open, name="search_open"),
    path("searches/<uuid:pk>/delete", views_searches.search_delete, name="search_delete"),
    path("cases/<str:reference>/notes/", views_collab.case_notes, name="case_notes"),
    path("cases/<str:reference>/reviews/", views_collab.case_reviews, name="case_reviews"),
    path("cases/<str:reference>/reviews/<uuid:pk>/answer", views_collab.review_answer, name="review_answer"),
    path("notifications/", views_collab.notification_list, name="notifications"),
    path("notifications/read", views_collab.notifications_read, name="notifications_read"),
    path("notifications/settings", views_collab.notification_settings, name="notification_settings"),
]
