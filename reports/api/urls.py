"""``/api/v1/`` routes of the reports app: step definitions, goals, goal results, summaries."""

urlpatterns = []
