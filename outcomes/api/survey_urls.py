"""``/api/v1/`` routes for indicator surveys and national averages."""

from django.urls import path

from outcomes.api import surveys

urlpatterns = [
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
