"""Web routes of the activity log (included before the report routes, whose
``insatser/<id>/<period>/`` would otherwise take ``aktiviteter`` for a period)."""

from django.urls import path

from outcomes.activities import views

urlpatterns = [
    path("insatser/<int:intervention_id>/aktiviteter/", views.activity_list, name="activities"),
    path("insatser/<int:intervention_id>/aktiviteter/ny/", views.activity_new, name="activity_new"),
    path("insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path(
        "insatser/<int:intervention_id>/aktiviteter/<int:activity_id>/ta-bort/",
        views.activity_remove,
        name="activity_remove",
    ),
]
