"""Web pages of the reports app (goals, summaries, exports)."""

from django.urls import path

from reports import views_goals

intervention = "insatser/<int:intervention_id>/"

urlpatterns = [
    path(f"{intervention}mal/", views_goals.goal_page, name="goal-page"),
    path(f"{intervention}mal/nytt/", views_goals.goal_create, name="goal-create"),
    path(f"{intervention}mal/<int:goal_id>/", views_goals.goal_edit, name="goal-edit"),
    path(f"{intervention}mal/<int:goal_id>/ta-bort/", views_goals.goal_delete, name="goal-delete"),
    path(f"{intervention}stegdefinition/", views_goals.step_definition_edit, name="step-definition-edit"),
]
