"""Web pages of the reports app under ``/resultat/``: summaries, intervention detail, charts, exports."""

from django.urls import path

from reports.exports import views as export_views
from reports.goals import views as goal_views
from reports.summaries import views as summary_views

intervention = "insatser/<int:intervention_id>/"

urlpatterns = [
    path("", summary_views.summary_index, name="summary-index"),
    path("forbund/<int:association_id>/", summary_views.summary_page, name="summary"),
    path("forbund/<int:association_id>/export.<str:fmt>", export_views.summary_export, name="summary-export"),
    path(
        "forbund/<int:association_id>/diagram/trend.<str:fmt>", summary_views.summary_trend_chart, name="summary-trend"
    ),
    path("forbund/<int:association_id>/underlag.csv", summary_views.summary_followup_csv, name="summary-followup"),
    path(f"{intervention}", summary_views.detail_page, name="summary-detail"),
    path(f"{intervention}export.<str:fmt>", export_views.detail_export, name="summary-detail-export"),
    path(f"{intervention}diagram/<slug:chart>.<str:fmt>", summary_views.chart, name="summary-chart"),
    path("export/<uuid:job_id>/", export_views.export_job_page, name="export-job"),
    path("export/<uuid:job_id>/fil/", export_views.export_job_file, name="export-job-file"),
    path(f"{intervention}mal/", goal_views.goal_page, name="goal-page"),
    path(f"{intervention}mal/nytt/", goal_views.goal_create, name="goal-create"),
    path(f"{intervention}mal/<int:goal_id>/", goal_views.goal_edit, name="goal-edit"),
    path(f"{intervention}mal/<int:goal_id>/ta-bort/", goal_views.goal_delete, name="goal-delete"),
    path(f"{intervention}stegdefinition/", goal_views.step_definition_edit, name="step-definition-edit"),
]
