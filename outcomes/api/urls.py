"""``/api/v1/`` routes of the outcomes app: interventions, budgets, catalogs, reports, imports."""

urlpatterns = []
