from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from outcomes.api.errors import api_not_found, bad_request, page_not_found, permission_denied, server_error
from outcomes.organisations.throttle import ThrottledPasswordResetForm

api_v1 = [
    path("", include("outcomes.api.urls")),
    path("", include("reports.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's configuration script is served from its own URL (the split view), not inline.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="outcomes/api_swagger.html"),
        name="api-docs",
    ),
    # ReDoc (styled-components) writes its own <style> elements at run time, which neither a nonce
    # nor hashes can cover: this page alone may apply inline styles, start its search worker from a
    # blob: URL and show its footer logo; scripts stay 'self' only.
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": ["https://cdn.redoc.ly"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="outcomes/api_redoc.html")
        ),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # A few reset mails per address and hour (outcomes.organisations.throttle); the rest of django.contrib.auth as is.
    path(
        "konto/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("konto/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    # The issue names /api/schema/; the same schema is served under the versioned path too.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema-unversioned"),
    # Any other URL under /api/ answers the contract's JSON 404, never an HTML page ([\s\S]: a
    # newline in the path, %0A, too).
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),
    path("api-nycklar/", include("outcomes.organisations.urls")),
    path("enkater/", include("outcomes.surveys.urls")),
    path("resultat/", include("reports.urls")),
    path("", include("outcomes.tallies.urls")),
]

# An error under /api/ answers JSON in the contract's format; elsewhere Django's page.
handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
