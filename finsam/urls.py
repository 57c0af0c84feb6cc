from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from outcomes.api.errors import api_not_found, bad_request, page_not_found, permission_denied, server_error
from outcomes.organisations.people_views import invitation_accept
from outcomes.organisations.throttle import ThrottledPasswordResetForm

urlpatterns = [
    path("admin/", admin.site.urls),
    # A few reset mails per address and hour (outcomes.organisations.throttle); the rest of django.contrib.auth as is.
    path(
        "konto/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    # An invitation's one-time link (outcomes.organisations.people): the invitee sets a password.
    path("konto/inbjudan/<uidb64>/<token>/", invitation_accept, name="invitation-accept"),
    path("konto/", include("django.contrib.auth.urls")),
    path("api/v1/", include("finsam.api_urls")),
    # The issue names /api/schema/; the same schema is served under the versioned path too.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema-unversioned"),
    # Any other URL under /api/ answers the contract's JSON 404, never an HTML page ([\s\S]: a
    # newline in the path, %0A, too).
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),
    path("api-nycklar/", include("outcomes.organisations.urls")),
    path("enkater/", include("outcomes.surveys.urls")),
    path("resultat/", include("reports.urls")),
    path("forbund/<int:association_id>/", include("outcomes.organisations.association_urls")),
    path("", include("outcomes.imports.urls")),
    path("", include("outcomes.tallies.urls")),
]

# An error under /api/ answers JSON in the contract's format; elsewhere Django's page.
handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
