"""Web pages for a user's own API tokens."""

urlpatterns = []
