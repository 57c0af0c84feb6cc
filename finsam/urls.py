from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from outcomes.api.errors import api_not_found, bad_request, page_not_found, permission_denied, server_error

api_v1 = [
    path("", include("outcomes.api.urls")),
    path("", include("outcomes.api.survey_urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="outcomes/api_redoc.html"),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    # The issue names /api/schema/; the same schema is served under the versioned path too.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema-unversioned"),
    # Any other URL under /api/ answers the contract's JSON 404, never an HTML page ([\s\S]: a
    # newline in the path, %0A, too).
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),
    path("api-nycklar/", include("outcomes.api.web_urls")),
    path("enkater/", include("outcomes.survey_urls")),
    path("resultat/", include("reports.urls")),
    path("", include("outcomes.urls")),
]

# An error under /api/ answers JSON in the contract's format; elsewhere Django's page.
handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
