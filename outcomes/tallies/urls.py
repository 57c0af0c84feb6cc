"""Web routes of period reports."""

from django.urls import path

from outcomes.tallies import views

urlpatterns = [
    path("", views.home, name="home"),
    path("insatser/<int:intervention_id>/<str:period>/", views.report_form, name="report"),
    path(
        "insatser/<int:intervention_id>/<str:period>/historik/",
        views.report_history_view,
        name="report_history",
    ),
    path(
        "insatser/<int:intervention_id>/<str:period>/<str:action>/",
        views.report_transition,
        name="report_transition",
    ),
    path("forbund/<int:association_id>/rapportering/", views.completeness, name="completeness"),
    path(
        "forbund/<int:association_id>/rapportering/<int:intervention_id>/paminnelse/",
        views.completeness_remind,
        name="completeness_remind",
    ),
]
