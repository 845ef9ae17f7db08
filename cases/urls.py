from django.urls import path

from cases import history, views, views_list

app_name = "cases"

urlpatterns = [
    path("", views_list.case_list, name="list"),
    path("cases/new/", views.case_create, name="create"),
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path("cases/<str:reference>/edit/", views.case_edit, name="edit"),
    path("cases/<str:reference>/contacts/new/", views.contact_edit, name="contact_add"),
    path("cases/<str:reference>/contacts/<uuid:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("cases/<str:reference>/events/new/", views.event_edit, name="event_add"),
    path("cases/<str:reference>/events/<uuid:event_id>/edit/", views.event_edit, name="event_edit"),
    path("cases/<str:reference>/sources/new/", views.source_edit, name="source_add"),
    path("cases/<str:reference>/sources/<uuid:source_id>/edit/", views.source_edit, name="source_edit"),
    path("cases/<str:reference>/consent/new/", views.consent_add, name="consent_add"),
    path("cases/<str:reference>/history/", history.case_history, name="history"),
    path("cases/<str:reference>/history/<str:target_type>/<str:target_id>/", history.object_history, name="object_history"),
]
