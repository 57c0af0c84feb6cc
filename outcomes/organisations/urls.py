"""Web pages for a user's own API tokens."""

from django.urls import path

from outcomes.organisations import views as tokens

urlpatterns = [
    path("", tokens.token_list, name="api-tokens"),
    path("<int:pk>/aterkalla/", tokens.token_revoke, name="api-token-revoke"),
]
