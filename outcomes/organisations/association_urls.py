"""Web routes of staff's pages of one association (under ``forbund/<int:association_id>/``)."""

from django.urls import include, path

from outcomes.organisations import association_views as association
from outcomes.organisations import intervention_views as interventions
from outcomes.organisations import people_views as people

member_urls = [
    path("", association.member_list, name="association-members"),
    path("<int:member_id>/", association.member_edit, name="association-member"),
]

one_intervention_urls = [
    path("", interventions.intervention_edit, name="association-intervention"),
    path("budget/", interventions.intervention_budget, name="association-intervention-budget"),
    path("avsluta/", interventions.intervention_end, name="association-intervention-end"),
]

intervention_urls = [
    path("", interventions.intervention_list, name="association-interventions"),
    path("ny/", interventions.intervention_new, name="association-intervention-new"),
    path("<int:intervention_id>/", include(one_intervention_urls)),
]

person_urls = [
    path("", people.people_list, name="association-people"),
    path("<int:person_id>/", people.person_edit, name="association-person"),
    path(
        "<int:person_id>/nycklar/<int:token_id>/aterkalla/",
        people.person_token_revoke,
        name="association-person-token-revoke",
    ),
]

urlpatterns = [
    path("", association.overview, name="association"),
    path("medlemmar/", include(member_urls)),
    path("insatser/", include(intervention_urls)),
    path("personer/", include(person_urls)),
    path("installningar/", association.settings_edit, name="association-settings"),
    path("kataloger/", include("outcomes.catalog.urls")),
    path("andringslogg/", include("outcomes.changelog.urls")),
]
