"""``/api/v1/`` routes of the outcomes app: interventions, budgets, catalogs, reports, imports."""

from django.urls import path

from outcomes.api import views

report = "interventions/<int:intervention_id>/reports/<str:period>/"

urlpatterns = [
    path(report, views.ReportView.as_view(), name="api-report"),
    path(f"{report}submit/", views.ReportSubmitView.as_view(), name="api-report-submit"),
    path(f"{report}approve/", views.ReportApproveView.as_view(), name="api-report-approve"),
    path(f"{report}reopen/", views.ReportReopenView.as_view(), name="api-report-reopen"),
]
