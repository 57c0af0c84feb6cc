import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from outcomes.models import Budget, Intervention
from outcomes.organisations.services import api_token_create
from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Coachingteamet",
    "owner": "Lindesbergs kommun",
    "kind": "individual",
    "frequency": "quarter",
    "start": "2024-01-01",
    "end": None,
}


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def viewer(association):
    return MembershipFactory(association=association, role="viewer").user


def names(response):
    assert response.status_code == 200, response.json()
    return sorted(item["name"] for item in response.json()["results"])


def test_staff_and_viewers_list_the_whole_association_and_coordinators_their_granted_ones(
    staff, viewer, coordinator, outsider, intervention, teammate_intervention
):
    InterventionFactory(name="Någon annans")
    both = sorted([intervention.name, teammate_intervention.name])
    assert names(client_for(staff).get("/api/v1/interventions/")) == both
    assert names(client_for(viewer).get("/api/v1/interventions/")) == both
    assert names(client_for(coordinator).get("/api/v1/interventions/")) == [intervention.name]
    assert intervention.name not in names(client_for(outsider).get("/api/v1/interventions/"))


def test_the_list_filters_by_association_and_active(staff, association, intervention, teammate_intervention):
    Intervention.objects.filter(pk=teammate_intervention.pk).update(active=False)
    client = client_for(staff)
    assert names(client.get("/api/v1/interventions/?active=true")) == [intervention.name]
    assert names(client.get("/api/v1/interventions/?active=false")) == [teammate_intervention.name]
    assert len(names(client.get(f"/api/v1/interventions/?association={association.pk}"))) == 2
    assert names(client.get(f"/api/v1/interventions/?association={association.pk + 999}")) == []
    bad = client.get("/api/v1/interventions/?active=kanske")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "active"


def test_listing_interventions_takes_the_same_number_of_queries_for_one_or_many(staff, association):
    client = client_for(staff)
    InterventionFactory(association=association)
    client.get("/api/v1/interventions/")  # the token's first use writes its last-use time once
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/interventions/")
    for index in range(5):
        intervention = InterventionFactory(association=association)
        Budget.objects.create(intervention=intervention, year=2024, budget_sek=1000 * index)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/interventions/")
    assert response.json()["count"] == 6
    assert len(many) == len(one)


def test_staff_create_an_intervention_and_read_it_back(staff, association):
    client = client_for(staff)
    response = client.post("/api/v1/interventions/", {**NEW, "association": association.pk}, format="json")
    assert response.status_code == 201, response.json()
    created = Intervention.objects.get(pk=response.json()["id"])
    assert (created.association, created.name, created.start) == (association, "Coachingteamet", dt.date(2024, 1, 1))
    read = client.get(f"/api/v1/interventions/{created.pk}/").json()
    assert read["owner"] == "Lindesbergs kommun" and read["end"] is None and read["budgets"] == []


def test_viewers_and_coordinators_may_not_create_interventions(viewer, coordinator, association):
    for user in (viewer, coordinator):
        response = client_for(user).post(
            "/api/v1/interventions/", {**NEW, "association": association.pk}, format="json"
        )
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"
    assert not Intervention.objects.filter(name="Coachingteamet").exists()


def test_creating_in_another_association_is_refused_without_revealing_it(outsider, association):
    response = client_for(outsider).post(
        "/api/v1/interventions/", {**NEW, "association": association.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "association"
    assert response.json()["errors"][0]["code"] == "does_not_exist"


def test_bad_intervention_input_names_each_field_and_rule_and_stores_nothing(staff, association):
    body = {
        **NEW,
        "association": association.pk,
        "name": "Anna 19121212-1212",
        "kind": "giant",
        "start": "2024-06-01",
        "end": "2024-01-01",
    }
    response = client_for(staff).post("/api/v1/interventions/", body, format="json")
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert ("name", "personal_data") in errors
    assert ("kind", "invalid_choice") in errors
    assert all(e["message"] for e in response.json()["errors"])
    assert not Intervention.objects.filter(start=dt.date(2024, 6, 1)).exists()


def test_an_end_before_the_start_is_refused_on_the_end(staff, intervention):
    response = client_for(staff).patch(
        f"/api/v1/interventions/{intervention.pk}/", {"end": "2019-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "end"


def test_staff_patch_an_intervention_and_others_may_not(staff, viewer, coordinator, outsider, intervention):
    url = f"/api/v1/interventions/{intervention.pk}/"
    assert client_for(viewer).patch(url, {"name": "Nytt"}, format="json").status_code == 403
    assert client_for(viewer).patch(url, {"kind": "giant"}, format="json").status_code == 403
    assert client_for(coordinator).patch(url, {"name": "Nytt"}, format="json").status_code == 403
    assert client_for(outsider).patch(url, {"name": "Nytt"}, format="json").status_code == 404
    response = client_for(staff).patch(url, {"name": "Nytt namn", "active": False}, format="json")
    assert response.status_code == 200, response.json()
    intervention.refresh_from_db()
    assert (intervention.name, intervention.active) == ("Nytt namn", False)


def test_another_associations_or_an_ungranted_intervention_answers_404(
    coordinator, outsider, intervention, teammate_intervention
):
    assert client_for(outsider).get(f"/api/v1/interventions/{intervention.pk}/").status_code == 404
    response = client_for(coordinator).get(f"/api/v1/interventions/{teammate_intervention.pk}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert client_for(coordinator).get(f"/api/v1/interventions/{intervention.pk}/").status_code == 200


def test_the_frequency_cannot_change_once_there_are_reports(staff, intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    response = client_for(staff).patch(
        f"/api/v1/interventions/{intervention.pk}/", {"frequency": "month"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "frequency",
        "code": "frequency_has_reports",
        "message": response.json()["errors"][0]["message"],
    }
    intervention.refresh_from_db()
    assert intervention.frequency == "quarter"


def test_staff_set_a_budget_and_setting_it_again_replaces_it(staff, intervention):
    client = client_for(staff)
    url = f"/api/v1/interventions/{intervention.pk}/budgets/2024/"
    first = client.put(url, {"budget_sek": 2403500}, format="json")
    assert (first.status_code, first.json()) == (201, {"year": 2024, "budget_sek": 2403500})
    second = client.put(url, {"budget_sek": 2500000}, format="json")
    assert second.status_code == 200
    assert Budget.objects.get(intervention=intervention, year=2024).budget_sek == 2500000
    assert client.get(url).json() == {"year": 2024, "budget_sek": 2500000}
    listed = client.get(f"/api/v1/interventions/{intervention.pk}/").json()["budgets"]
    assert listed == [{"year": 2024, "budget_sek": 2500000}]


def test_only_staff_set_budgets_and_negative_amounts_are_refused(staff, coordinator, viewer, outsider, intervention):
    url = f"/api/v1/interventions/{intervention.pk}/budgets/2024/"
    assert client_for(coordinator).put(url, {"budget_sek": 1}, format="json").status_code == 403
    assert client_for(viewer).put(url, {"budget_sek": 1}, format="json").status_code == 403
    assert client_for(outsider).put(url, {"budget_sek": 1}, format="json").status_code == 404
    negative = client_for(staff).put(url, {"budget_sek": -5}, format="json")
    assert negative.status_code == 400 and negative.json()["errors"][0]["field"] == "budget_sek"
    assert (
        client_for(staff)
        .put(f"/api/v1/interventions/{intervention.pk}/budgets/1066/", {"budget_sek": 1}, format="json")
        .status_code
        == 400
    )
    assert not Budget.objects.exists()
    assert client_for(coordinator).get(url).status_code == 404


def test_places_are_set_read_back_and_refused_below_one(staff, intervention):
    client = client_for(staff)
    assert client.get(f"/api/v1/interventions/{intervention.pk}/").json()["places"] is None
    response = client.patch(f"/api/v1/interventions/{intervention.pk}/", {"places": 40}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["places"] == 40
    refused = client.patch(f"/api/v1/interventions/{intervention.pk}/", {"places": 0}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "places"
    intervention.refresh_from_db()
    assert intervention.places == 40


def test_the_default_socio_economic_model_is_340_000_kr_per_person_and_year(association):
    assert association.value_per_person_year_sek == 340_000
    association.health_gain_per_year_sek = 0
    assert association.value_per_person_year_sek == 300_000
