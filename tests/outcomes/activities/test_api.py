"""The activity log through the API: add, list, change, delete, its rules and the lock."""

import pytest

from outcomes.models import Activity, PeriodReport
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import client_for

pytestmark = pytest.mark.django_db

FAIR = {
    "date": "2021-10-05",
    "title": "Rehabiliteringsmässan",
    "kind": "conference",
    "occasions": 1,
    "attendees": 200,
    "estimated": False,
    "attendees_by_gender": {"women": 120, "men": 70, "other": 10},
    "attendees_by_organisation": [{"organisation": "af", "attendees": 20}, {"organisation": "other", "attendees": 180}],
    "exhibitors": 15,
    "evaluation": {"answered": 80, "positive": 76},
    "spent_sek": 25310,
}


@pytest.fixture
def structural(association):
    return InterventionFactory(association=association, kind="structural", start="2021-01-01")


@pytest.fixture
def client(staff):
    return client_for(staff)


def url(intervention, suffix=""):
    return f"/api/v1/interventions/{intervention.pk}/activities/{suffix}"


def test_an_activity_is_added_to_the_base_period_of_its_date_with_its_own_cost_per_attendee(client, structural):
    response = client.post(url(structural), FAIR, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["period"] == "2021Q4"
    assert body["cost_per_attendee_sek"] == 127
    assert body["evaluation"] == {"answered": 80, "positive": 76, "percent": 95}
    assert client.get(url(structural, f"{body['id']}/")).json() == body
    listed = client.get(url(structural) + "?period=2021").json()["results"]
    assert [a["title"] for a in listed] == ["Rehabiliteringsmässan"]
    assert client.get(url(structural) + "?period=2022").json()["results"] == []


@pytest.mark.parametrize("period", ["2021Q5", ""])
def test_a_list_for_a_bad_or_blank_period_is_refused_naming_the_period(client, structural, period):
    response = client.get(url(structural) + f"?period={period}")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("period", "invalid_period")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"attendees": -1}, "attendees", "negative_count"),
        ({"attendees_by_gender": {"women": 1, "men": 1}}, "attendees_by_gender", "attendees_sum"),
        (
            {"attendees_by_organisation": [{"organisation": "af", "attendees": 3}]},
            "attendees_by_organisation",
            "attendees_sum",
        ),
        (
            {"attendees_by_organisation": [{"organisation": "nasa", "attendees": 200}]},
            "attendees_by_organisation[0].organisation",
            "unknown_code",
        ),
        ({"kind": "party"}, "kind", "unknown_code"),
        ({"date": "2020-12-31"}, "date", "date_outside_intervention"),
        ({"title": "Samtal med 19850101-2384"}, "title", "personal_data"),
        ({"evaluation": {"answered": 5, "positive": 6}}, "evaluation.positive", "evaluation_positive_exceeds_answered"),
    ],
)
def test_bad_activities_are_refused_with_the_field_and_rule_named_and_nothing_is_stored(
    client, structural, change, field, code
):
    response = client.post(url(structural), {**FAIR, **change}, format="json")
    assert response.status_code == 400, response.json()
    errors = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert (field, code) in errors
    assert not Activity.objects.exists()


def test_a_patch_changes_only_the_fields_it_names_and_a_delete_removes_the_activity(client, structural):
    created = client.post(url(structural), FAIR, format="json").json()
    response = client.patch(
        url(structural, f"{created['id']}/"),
        {"attendees": 220, "attendees_by_gender": None, "attendees_by_organisation": []},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["attendees"], response.json()["title"]) == (220, "Rehabiliteringsmässan")
    assert response.json()["cost_per_attendee_sek"] == 115
    assert client.delete(url(structural, f"{created['id']}/")).status_code == 204
    assert not Activity.objects.exists()


def test_an_activity_of_an_approved_period_is_locked(client, structural):
    created = client.post(url(structural), FAIR, format="json").json()
    PeriodReport.objects.create(intervention=structural, period="2021Q4", status="approved")
    assert client.patch(url(structural, f"{created['id']}/"), {"attendees": 1}, format="json").status_code == 409
    assert client.delete(url(structural, f"{created['id']}/")).status_code == 409
    refused = client.post(url(structural), {**FAIR, "date": "2021-11-01"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "report_locked"
    assert Activity.objects.get().attendees == 200


def test_a_viewer_reads_the_log_but_may_not_write_and_an_outsider_gets_404(structural, outsider):
    viewer = MembershipFactory(association=structural.association, role="viewer").user
    assert client_for(viewer).get(url(structural)).status_code == 200
    assert client_for(viewer).post(url(structural), FAIR, format="json").status_code == 403
    assert client_for(outsider).get(url(structural)).status_code == 404
