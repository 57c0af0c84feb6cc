"""Web pages of the reports app (goals, summaries, exports)."""

urlpatterns = []
