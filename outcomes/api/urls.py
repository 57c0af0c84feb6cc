"""``/api/v1/`` routes of the outcomes app: interventions, budgets, catalogs, reports, imports."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from outcomes.api import catalogs, imports, interventions, views

router = SimpleRouter()
router.register("interventions", interventions.InterventionViewSet, basename="api-intervention")
router.register("catalog/exit-reasons", catalogs.ExitReasonViewSet, basename="api-exit-reason")
router.register("catalog/dimensions", catalogs.DimensionViewSet, basename="api-dimension")
router.register("catalog/survey-questions", catalogs.SurveyQuestionViewSet, basename="api-survey-question")

report = "interventions/<int:intervention_id>/reports/<str:period>/"

urlpatterns = [
    *router.urls,
    path(
        "interventions/<int:intervention_id>/budgets/<int:year>/",
        interventions.BudgetView.as_view(),
        name="api-budget",
    ),
    path("reports/", views.ReportListView.as_view(), name="api-report-list"),
    path(
        "interventions/<int:intervention_id>/reports/",
        views.InterventionReportListView.as_view(),
        name="api-intervention-report-list",
    ),
    path(report, views.ReportView.as_view(), name="api-report"),
    path(f"{report}submit/", views.ReportSubmitView.as_view(), name="api-report-submit"),
    path(f"{report}approve/", views.ReportApproveView.as_view(), name="api-report-approve"),
    path(f"{report}reopen/", views.ReportReopenView.as_view(), name="api-report-reopen"),
    path("imports/", imports.ImportView.as_view(), name="api-import"),
]
