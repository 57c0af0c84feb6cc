"""``/api/v1/`` routes for indicator surveys and national averages."""

urlpatterns = []
