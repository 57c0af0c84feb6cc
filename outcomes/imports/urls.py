"""Web routes of file imports."""

from django.urls import path

from outcomes.imports import views

urlpatterns = [
    path("insatser/<int:intervention_id>/mall.xlsx", views.template_download, name="template-download"),
    path("las-in/", views.upload, name="import-upload"),
    path("las-in/<uuid:upload_id>/", views.preview, name="import-preview"),
]
