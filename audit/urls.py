from django.urls import path, re_path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    re_path(r"^export\.(?P<fmt>csv|jsonl)$", views.export, name="export"),
    path("sign-ins/", views.my_sign_ins, name="sign_ins"),
]
