from django.contrib import admin
from django.urls import include, path

api_v1 = [
    path("", include("outcomes.api.urls")),
    path("", include("outcomes.api.survey_urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    path("api-nycklar/", include("outcomes.api.web_urls")),
    path("enkater/", include("outcomes.survey_urls")),
    path("resultat/", include("reports.urls")),
    path("", include("outcomes.urls")),
]
