from django.urls import path

from api import web_views

app_name = "api_tokens"

urlpatterns = [
    path("tokens/", web_views.token_list, name="list"),
    path("tokens/<int:token_id>/revoke/", web_views.token_revoke, name="revoke"),
]
