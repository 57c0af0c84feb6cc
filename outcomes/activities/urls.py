"""Web routes of the activity log (included before the report routes, whose
``insatser/<id>/<period>/`` would otherwise take ``aktiviteter`` for a period)."""

from django.urls import include, path

from outcomes.activities import views

activity_urls = [
    path("", views.activity_list, name="activities"),
    path("ny/", views.activity_new, name="activity_new"),
    path("<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("<int:activity_id>/ta-bort/", views.activity_remove, name="activity_remove"),
]

urlpatterns = [path("insatser/<int:intervention_id>/aktiviteter/", include(activity_urls))]
