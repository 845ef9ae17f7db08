from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import audit_views, docs, views, views_contacts

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("cases/", views.CaseListCreate.as_view(), name="case-list"),
    path("cases/search/", views.CaseSearch.as_view(), name="case-search"),
    path("cases/<str:reference>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<str:reference>/events/", views.EventListCreate.as_view(), name="event-list"),
    path("cases/<str:reference>/events/<uuid:event_id>/", views.EventDetail.as_view(), name="event-detail"),
    path("cases/<str:reference>/sources/", views.SourceList.as_view(), name="source-list"),
    path("cases/<str:reference>/sources/<uuid:source_id>/", views.SourceDetail.as_view(), name="source-detail"),
    path("cases/<str:reference>/contacts/", views_contacts.ContactList.as_view(), name="contact-list"),
    path("cases/<str:reference>/contacts/<uuid:contact_id>/", views_contacts.ContactDetail.as_view(), name="contact-detail"),
    path("cases/<str:reference>/files/", views.FileListUpload.as_view(), name="file-list"),
    path("cases/<str:reference>/files/<uuid:file_id>/", views.FileDetail.as_view(), name="file-detail"),
    path("cases/<str:reference>/files/<uuid:file_id>/custody/", views.FileCustody.as_view(), name="file-custody"),
    path("persons/", views.PersonList.as_view(), name="person-list"),
    path("persons/search/", views.PersonSearch.as_view(), name="person-search"),
    path("persons/<uuid:person_id>/", views.PersonDetail.as_view(), name="person-detail"),
    path("audit/consistency/", audit_views.AuditConsistency.as_view(), name="audit-consistency"),
]
