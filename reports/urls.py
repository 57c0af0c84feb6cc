"""Web pages of the reports app under ``/resultat/``: summaries, intervention detail, charts, exports."""

from django.urls import path

from reports import views, views_goals

intervention = "insatser/<int:intervention_id>/"

urlpatterns = [
    path("", views.summary_index, name="summary-index"),
    path("forbund/<int:association_id>/", views.summary_page, name="summary"),
    path("forbund/<int:association_id>/export.<str:fmt>", views.summary_export, name="summary-export"),
    path(f"{intervention}", views.detail_page, name="summary-detail"),
    path(f"{intervention}export.<str:fmt>", views.detail_export, name="summary-detail-export"),
    path(f"{intervention}diagram/<slug:chart>.<str:fmt>", views.chart, name="summary-chart"),
    path("export/<uuid:job_id>/", views.export_job_page, name="export-job"),
    path("export/<uuid:job_id>/fil/", views.export_job_file, name="export-job-file"),
    path(f"{intervention}mal/", views_goals.goal_page, name="goal-page"),
    path(f"{intervention}mal/nytt/", views_goals.goal_create, name="goal-create"),
    path(f"{intervention}mal/<int:goal_id>/", views_goals.goal_edit, name="goal-edit"),
    path(f"{intervention}mal/<int:goal_id>/ta-bort/", views_goals.goal_delete, name="goal-delete"),
    path(f"{intervention}stegdefinition/", views_goals.step_definition_edit, name="step-definition-edit"),
]
