"""Web pages for indicator surveys."""

urlpatterns = []
