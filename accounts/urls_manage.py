from django.urls import path

from accounts import views_manage as views

app_name = "manage"

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
    path("assignments/", views.assignments, name="assignments"),
    path("cases/<str:reference>/access/", views.case_access, name="case_access"),
    path("cases/<str:reference>/access/change/", views.case_access_change, name="case_access_change"),
    path("cases/<str:reference>/share/", views.case_share, name="case_share"),
]
