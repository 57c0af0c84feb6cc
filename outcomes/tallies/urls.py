"""Web routes of period reports."""

from django.urls import include, path

from outcomes.tallies import views

#: One report's routes, under ``insatser/<intervention_id>/<period>/``.
report_urls = [
    path("", views.report_form, name="report"),
    path("historik/", views.report_history_view, name="report_history"),
    path("<str:action>/", views.report_transition, name="report_transition"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("insatser/<int:intervention_id>/<str:period>/", include(report_urls)),
    path("forbund/<int:association_id>/rapportering/", views.completeness, name="completeness"),
    path(
        "forbund/<int:association_id>/rapportering/<int:intervention_id>/paminnelse/",
        views.completeness_remind,
        name="completeness_remind",
    ),
]
