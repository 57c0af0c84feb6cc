"""Web routes of staff's pages of one association (under ``forbund/<int:association_id>/``)."""

from django.urls import include, path

from outcomes.organisations import association_views as association
from outcomes.organisations import intervention_views as interventions
from outcomes.organisations import people_views as people

urlpatterns = [
    path("", association.overview, name="association"),
    path("medlemmar/", association.member_list, name="association-members"),
    path("medlemmar/<int:member_id>/", association.member_edit, name="association-member"),
    path("insatser/", interventions.intervention_list, name="association-interventions"),
    path("insatser/ny/", interventions.intervention_new, name="association-intervention-new"),
    path("insatser/<int:intervention_id>/", interventions.intervention_edit, name="association-intervention"),
    path(
        "insatser/<int:intervention_id>/budget/",
        interventions.intervention_budget,
        name="association-intervention-budget",
    ),
    path(
        "insatser/<int:intervention_id>/avsluta/", interventions.intervention_end, name="association-intervention-end"
    ),
    path("personer/", people.people_list, name="association-people"),
    path("personer/<int:person_id>/", people.person_edit, name="association-person"),
    path(
        "personer/<int:person_id>/nycklar/<int:token_id>/aterkalla/",
        people.person_token_revoke,
        name="association-person-token-revoke",
    ),
    path("installningar/", association.settings_edit, name="association-settings"),
    path("kataloger/", include("outcomes.catalog.urls")),
    path("andringslogg/", include("outcomes.changelog.urls")),
]
