"""Web pages for indicator surveys."""

from django.urls import path

from outcomes.surveys import views

urlpatterns = [
    path("", views.survey_index, name="survey-index"),
    path("insats/<int:pk>/", views.intervention_surveys, name="survey-intervention"),
    path("insats/<int:pk>/valj/", views.intervention_survey_choose, name="survey-intervention-choose"),
    path("insats/<int:pk>/<str:period>/<str:group>/", views.intervention_survey_edit, name="survey-intervention-edit"),
    path("forbund/<int:pk>/", views.association_surveys, name="survey-association"),
    path("forbund/<int:pk>/valj/", views.association_survey_choose, name="survey-association-choose"),
    path("forbund/<int:pk>/rikssnitt/<int:year>/", views.national_averages, name="survey-national-averages"),
    path("forbund/<int:pk>/<str:period>/<str:group>/", views.association_survey_edit, name="survey-association-edit"),
]
