"""The manage site (/manage/), one namespace `manage`: accounts' pages of users and roles, and cases' pages of who
has access to a case. Each app keeps its own pages, so accounts need not import cases (docs/architecture.md)."""

from accounts.urls_manage import urlpatterns as accounts_pages
from cases.urls_manage import urlpatterns as cases_pages

app_name = "manage"

urlpatterns = [*accounts_pages, *cases_pages]
