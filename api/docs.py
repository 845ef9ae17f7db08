"""The browsable API documentation: Swagger UI from drf-spectacular-sidecar, served locally.

SpectacularSwaggerSplitView loads its start-up script from a URL instead of inline, and
our template drops the inline <style>, so the page works under a CSP without 'unsafe-inline'.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    authentication_classes: list = []
    permission_classes: list = []
