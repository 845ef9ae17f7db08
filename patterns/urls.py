app_name = "patterns"
urlpatterns = []
