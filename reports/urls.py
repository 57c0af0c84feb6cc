"""Web pages of the reports app under ``/resultat/``: summaries, intervention detail, charts, exports."""

from django.urls import path

from reports import views

urlpatterns = [
    path("", views.summary_index, name="summary-index"),
    path("forbund/<int:association_id>/", views.summary_page, name="summary"),
    path("forbund/<int:association_id>/export.<str:fmt>", views.summary_export, name="summary-export"),
    path("insats/<int:intervention_id>/", views.detail_page, name="summary-detail"),
    path("insats/<int:intervention_id>/export.<str:fmt>", views.detail_export, name="summary-detail-export"),
    path("insats/<int:intervention_id>/diagram/<slug:chart>.<str:fmt>", views.chart, name="summary-chart"),
    path("export/<uuid:job_id>/", views.export_job_page, name="export-job"),
    path("export/<uuid:job_id>/fil/", views.export_job_file, name="export-job-file"),
]
