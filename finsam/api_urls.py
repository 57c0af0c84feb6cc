"""``/api/v1/``: the one URL configuration of the API, every topic's routes with one id converter.

A new endpoint is a view in its topic's ``api.py`` and one line here (and its row in the access
matrix's ``POLICY``). ``outcomes`` never imports ``reports``, so the list that names both lives here.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

import outcomes.api.converters  # noqa: F401  (registers the "id" and "year" converters)
from outcomes.catalog import api as catalog
from outcomes.imports import api as imports
from outcomes.imports import file_api
from outcomes.organisations import api as organisations
from outcomes.surveys import api as surveys
from outcomes.tallies import api as tallies
from reports.exports import api as exports
from reports.goals import api as goals
from reports.summaries import api as summaries

router = SimpleRouter()
router.register("interventions", organisations.InterventionViewSet, basename="api-intervention")
router.register("catalog/exit-reasons", catalog.ExitReasonViewSet, basename="api-exit-reason")
router.register("catalog/dimensions", catalog.DimensionViewSet, basename="api-dimension")
router.register("catalog/survey-questions", catalog.SurveyQuestionViewSet, basename="api-survey-question")

intervention = "interventions/<id:intervention_id>/"
report = f"{intervention}reports/<str:period>/"
# The survey views take the intervention's or the association's id as ``pk``.
intervention_pk = "interventions/<id:pk>/"
association_pk = "associations/<id:pk>/"
survey = "surveys/<str:period>/<str:group>/"

urlpatterns = [
    *router.urls,
    # organisations
    path(f"{intervention}budgets/<year:year>/", organisations.BudgetView.as_view(), name="api-budget"),
    # tallies
    path("reports/", tallies.ReportListView.as_view(), name="api-report-list"),
    path(f"{intervention}reports/", tallies.InterventionReportListView.as_view(), name="api-intervention-report-list"),
    path(report, tallies.ReportView.as_view(), name="api-report"),
    path(f"{report}submit/", tallies.ReportSubmitView.as_view(), name="api-report-submit"),
    path(f"{report}approve/", tallies.ReportApproveView.as_view(), name="api-report-approve"),
    path(f"{report}reopen/", tallies.ReportReopenView.as_view(), name="api-report-reopen"),
    # imports
    path("imports/", imports.ImportView.as_view(), name="api-import"),
    path(f"{intervention}template.xlsx", file_api.TemplateView.as_view(), name="api-template"),
    # surveys
    path(f"{intervention_pk}{survey}", surveys.InterventionSurveyView.as_view(), name="api-intervention-survey"),
    path(
        f"{intervention_pk}survey-tables/",
        surveys.InterventionSurveyTablesView.as_view(),
        name="api-intervention-survey-tables",
    ),
    path(f"{association_pk}{survey}", surveys.AssociationSurveyView.as_view(), name="api-association-survey"),
    path(
        f"{association_pk}survey-tables/",
        surveys.AssociationSurveyTablesView.as_view(),
        name="api-association-survey-tables",
    ),
    path(
        f"{association_pk}national-averages/<year:year>/",
        surveys.NationalAveragesView.as_view(),
        name="api-national-averages",
    ),
    # goals
    path(f"{intervention}step-definition/", goals.StepDefinitionView.as_view(), name="api-step-definition"),
    path(f"{intervention}goals/", goals.GoalListView.as_view(), name="api-goals"),
    path(f"{intervention}goals/<id:goal_id>/", goals.GoalDetailView.as_view(), name="api-goal"),
    path(f"{intervention}goal-results/", goals.GoalResultsView.as_view(), name="api-goal-results"),
    # catalog categories (the dimensions' entries)
    path(
        "catalog/dimensions/<id:dimension_id>/categories/",
        catalog.DimensionCategoriesView.as_view(),
        name="api-dimension-categories",
    ),
    path("catalog/categories/<id:category_id>/", catalog.CategoryView.as_view(), name="api-category"),
    # the association's settings
    path(
        "associations/<id:association_id>/settings/",
        organisations.AssociationSettingsView.as_view(),
        name="api-association-settings",
    ),
    # summaries
    path("associations/<id:association_id>/summary/", summaries.AssociationSummaryView.as_view(), name="api-summary"),
    # exports
    path(
        "associations/<id:association_id>/annual-report.docx",
        exports.AnnualReportView.as_view(),
        name="api-annual-report",
    ),
    # the schema and its two readers
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's configuration script is served from its own URL (the split view), not inline.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="outcomes/api_swagger.html"),
        name="api-docs",
    ),
    # ReDoc (styled-components) writes its own <style> elements at run time, which neither a nonce
    # nor hashes can cover: this page alone may apply inline styles, start its search worker from a
    # blob: URL and show its footer logo; scripts stay 'self' only.
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": ["https://cdn.redoc.ly"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="outcomes/api_redoc.html")
        ),
        name="api-redoc",
    ),
]
