"""The user and role pages of the manage site; config/urls_manage.py mounts them under /manage/, namespace `manage`."""

from django.urls import path

from accounts import views_manage as views

urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", views.user_roles, name="user_roles"),
    path("users/<int:pk>/roles/requests/<int:request_id>/", views.role_change_decide, name="role_change_decide"),
    path("users/<int:pk>/reset-second-factors/", views.user_factors_reset, name="user_factors_reset"),
    path("users/<int:pk>/enrolment-link/", views.user_enrolment_link, name="user_enrolment_link"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/sign-out-everywhere/", views.user_sign_out, name="user_sign_out"),
]
