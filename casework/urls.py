from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("cases/<str:reference>/follow-ups/", views.case_follow_ups, name="case_follow_ups"),
    path("cases/<str:reference>/follow-ups/<uuid:pk>/done", views.done, name="done"),
]
