"""``/api/v1/`` routes of the outcomes app: interventions, budgets, catalogs, reports, imports,
surveys and national averages."""

from django.urls import path, register_converter
from rest_framework.routers import SimpleRouter

from outcomes.catalog import api as catalogs
from outcomes.imports import api as imports
from outcomes.organisations import api as interventions
from outcomes.surveys import api as surveys
from outcomes.tallies import api as views


class IdConverter:
    """A database id: at most 18 digits, so a longer number is an unknown URL (404), not an
    overflow in the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class YearConverter(IdConverter):
    regex = "[0-9]{4}"


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")

router = SimpleRouter()
router.register("interventions", interventions.InterventionViewSet, basename="api-intervention")
router.register("catalog/exit-reasons", catalogs.ExitReasonViewSet, basename="api-exit-reason")
router.register("catalog/dimensions", catalogs.DimensionViewSet, basename="api-dimension")
router.register("catalog/survey-questions", catalogs.SurveyQuestionViewSet, basename="api-survey-question")

report = "interventions/<id:intervention_id>/reports/<str:period>/"

urlpatterns = [
    *router.urls,
    path(
        "interventions/<id:intervention_id>/budgets/<year:year>/",
        interventions.BudgetView.as_view(),
        name="api-budget",
    ),
    path("reports/", views.ReportListView.as_view(), name="api-report-list"),
    path(
        "interventions/<id:intervention_id>/reports/",
        views.InterventionReportListView.as_view(),
        name="api-intervention-report-list",
    ),
    path(report, views.ReportView.as_view(), name="api-report"),
    path(f"{report}submit/", views.ReportSubmitView.as_view(), name="api-report-submit"),
    path(f"{report}approve/", views.ReportApproveView.as_view(), name="api-report-approve"),
    path(f"{report}reopen/", views.ReportReopenView.as_view(), name="api-report-reopen"),
    path("imports/", imports.ImportView.as_view(), name="api-import"),
    path(
        "interventions/<int:pk>/surveys/<str:period>/<str:group>/",
        surveys.InterventionSurveyView.as_view(),
        name="api-intervention-survey",
    ),
    path(
        "interventions/<int:pk>/survey-tables/",
        surveys.InterventionSurveyTablesView.as_view(),
        name="api-intervention-survey-tables",
    ),
    path(
        "associations/<int:pk>/surveys/<str:period>/<str:group>/",
        surveys.AssociationSurveyView.as_view(),
        name="api-association-survey",
    ),
    path(
        "associations/<int:pk>/survey-tables/",
        surveys.AssociationSurveyTablesView.as_view(),
        name="api-association-survey-tables",
    ),
    path(
        "associations/<int:pk>/national-averages/<int:year>/",
        surveys.NationalAveragesView.as_view(),
        name="api-national-averages",
    ),
]
