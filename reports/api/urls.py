"""``/api/v1/`` routes of the reports app: step definitions, goals, goal results, summaries."""

from django.urls import path

from reports.api.summary import AssociationSummaryView

urlpatterns = [
    path("associations/<int:association_id>/summary/", AssociationSummaryView.as_view(), name="api-summary"),
]
