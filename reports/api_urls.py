"""``/api/v1/`` routes of the reports app: step definitions, goals, goal results, summaries."""

from django.urls import path

from reports.goals import api as goals
from reports.summaries.api import AssociationSummaryView

intervention = "interventions/<int:intervention_id>/"

urlpatterns = [
    path(f"{intervention}step-definition/", goals.StepDefinitionView.as_view(), name="api-step-definition"),
    path(f"{intervention}goals/", goals.GoalListView.as_view(), name="api-goals"),
    path(f"{intervention}goals/<int:goal_id>/", goals.GoalDetailView.as_view(), name="api-goal"),
    path(f"{intervention}goal-results/", goals.GoalResultsView.as_view(), name="api-goal-results"),
    path("associations/<int:association_id>/summary/", AssociationSummaryView.as_view(), name="api-summary"),
]
