"""The survey endpoints of API.md: body in, figures out, rules and permissions."""

import pytest

from outcomes.models import NationalAverage, Survey
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import client_for

pytestmark = pytest.mark.django_db

BODY = {
    "invited": 33,
    "answered": {"women": 14, "men": 9, "other": 1},
    "answers": [
        {"question": "p1", "counts": [0, 1, 2, 6, 8, 7], "blank": 0},
        {"question": "p6", "counts": [1, 2, 3, 4, 7, 6], "blank": 1},
    ],
}


def url(intervention, period="2024", group="participant_ongoing"):
    return f"/api/v1/interventions/{intervention.pk}/surveys/{period}/{group}/"


@pytest.fixture
def viewer(association):
    return MembershipFactory(association=association, role="viewer").user


def test_a_coordinator_puts_a_survey_and_reads_back_its_figures(coordinator, intervention):
    client = client_for(coordinator)
    response = client.put(url(intervention), BODY, format="json")
    assert response.status_code == 201, response.json()
    data = client.get(url(intervention)).json()
    assert (data["invited"], data["non_response"], data["response_rate"]) == (33, 9, 72.7)
    p1, p6 = data["answers"]
    assert (p1["positive"], p1["clearly_positive"], p1["key_figure"], p1["mean"]) == (87.5, 62.5, 62.5, 4.75)
    # p6 is indicator 7: the key figure is the positive share, blank left out (17/23).
    assert (p6["positive"], p6["clearly_positive"], p6["key_figure"]) == (73.9, 56.5, 73.9)
    assert p1["national_average_light"] == "no_data" and p1["previous_year"] is None


def test_lights_compare_with_the_national_average_and_the_year_before(staff, intervention):
    client = client_for(staff)
    association = intervention.association.pk
    averages = client.put(f"/api/v1/associations/{association}/national-averages/2024/", {"p1": 70.0, "p6": 73.9})
    assert averages.status_code == 200, averages.json()
    assert client.get(f"/api/v1/associations/{association}/national-averages/2024/").json() == {
        "p1": 70.0,
        "p6": 73.9,
    }
    last_year = {**BODY, "answers": [{"question": "p1", "counts": [0, 0, 4, 5, 8, 7], "blank": 0}]}
    assert client.put(url(intervention, "2023"), last_year, format="json").status_code == 201
    data = client.put(url(intervention), BODY, format="json").json()
    p1, p6 = data["answers"]
    assert (p1["national_average"], p1["national_average_light"]) == (70.0, "red")
    assert (p1["previous_year"], p1["previous_year_light"]) == (63, "yellow")
    assert p6["national_average_light"] == "yellow"


def test_a_survey_nobody_answered_answers_no_data(coordinator, intervention):
    body = {"invited": 6, "answered": {}, "answers": [{"question": "p1", "counts": [0] * 6}]}
    data = client_for(coordinator).put(url(intervention), body, format="json").json()
    assert data["response_rate"] == 0.0
    assert data["answers"][0]["key_figure"] is None and data["answers"][0]["mean"] is None


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"answers": [{"question": "p1", "counts": [0, 1, 2, 6, 8, 6]}]}, "answers[0].counts", "answers_sum"),
        (
            {"answers": [{"question": "p1", "counts": [0, 1, 2, 6, 8, 8], "blank": -1}]},
            "answers[0].blank",
            "negative_count",
        ),
        ({"invited": 20}, "answered", "answered_exceeds_invited"),
        ({"answers": [{"question": "q99", "counts": [0, 0, 0, 0, 0, 24]}]}, "answers[0].question", "unknown_question"),
        ({"answers": [{"question": "e8", "counts": [4, 20]}]}, "answers[0].question", "unknown_question"),
    ],
)
def test_bad_input_is_refused_with_the_rule_named_and_nothing_stored(coordinator, intervention, change, field, code):
    client = client_for(coordinator)
    response = client.put(url(intervention), {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert (field, code) in {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert all(e["message"] for e in response.json()["errors"])
    assert not Survey.objects.exists()


def test_an_unknown_group_is_refused(coordinator, intervention):
    response = client_for(coordinator).put(url(intervention, group="customers"), BODY, format="json")
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["unknown_group"]


def test_viewers_read_coordinators_of_other_interventions_and_outsiders_get_404(
    coordinator, staff, viewer, outsider, intervention, teammate_intervention
):
    assert client_for(staff).put(url(intervention), BODY, format="json").status_code == 201
    assert client_for(viewer).get(url(intervention)).status_code == 200
    assert client_for(viewer).put(url(intervention), BODY, format="json").status_code == 403
    assert client_for(outsider).get(url(intervention)).status_code == 404
    assert client_for(outsider).put(url(intervention), BODY, format="json").status_code == 404
    assert client_for(coordinator).put(url(teammate_intervention), BODY, format="json").status_code == 404
    assert Survey.objects.count() == 1


def test_board_surveys_belong_to_the_association_and_only_staff_write_them(
    association, staff, viewer, coordinator, outsider
):
    board_url = f"/api/v1/associations/{association.pk}/surveys/2024/board/"
    body = {
        "invited": 7,
        "answered": {"women": 4, "men": 3},
        "answers": [{"question": "b12", "counts": [0, 0, 1, 2, 3, 1]}],
    }
    assert client_for(coordinator).put(board_url, body, format="json").status_code == 404
    assert client_for(viewer).put(board_url, body, format="json").status_code == 403
    assert client_for(outsider).get(board_url).status_code == 404
    response = client_for(staff).put(board_url, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["intervention"] is None and response.json()["answers"][0]["key_figure"] == 57.1
    assert client_for(viewer).get(board_url).status_code == 200
    staff_url = f"/api/v1/associations/{association.pk}/surveys/2024/staff/"
    assert client_for(staff).put(staff_url, body, format="json").json()["errors"][0]["code"] == "unknown_group"
    intervention = InterventionFactory(association=association)
    refused = client_for(staff).put(url(intervention, group="board"), body, format="json")
    assert refused.json()["errors"][0]["code"] == "unknown_group"


def test_only_staff_enter_national_averages_and_bad_values_store_nothing(association, staff, viewer, coordinator):
    averages = f"/api/v1/associations/{association.pk}/national-averages/2024/"
    assert client_for(viewer).put(averages, {"p1": 50}, format="json").status_code == 403
    assert client_for(coordinator).put(averages, {"p1": 50}, format="json").status_code == 403
    response = client_for(staff).put(averages, {"p1": 150, "nope": 3}, format="json")
    assert response.status_code == 400
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("p1", "average_range"),
        ("nope", "unknown_question"),
    }
    assert not NationalAverage.objects.exists()


def test_survey_tables_answer_the_published_response_table(staff, intervention):
    client = client_for(staff)
    for group, invited, answered, code in [
        ("participant_ongoing", 33, 24, "p1"),
        ("participant_exit", 36, 24, "e1"),
        ("staff", 6, 6, "s8"),
    ]:
        body = {
            "invited": invited,
            "answered": {"women": answered},
            "answers": [{"question": code, "counts": [0, 0, 0, 0, 0, answered]}],
        }
        assert client.put(url(intervention, "2021", group), body, format="json").status_code == 201
    tables = client.get(f"/api/v1/interventions/{intervention.pk}/survey-tables/?period=2021").json()
    assert [(r["invited"], r["non_response"], r["answered"], r["percent"]) for r in tables["response_rates"]] == [
        (33, 9, 24, 73),
        (36, 12, 24, 67),
        (6, 0, 6, 100),
    ]


def test_the_openapi_schema_lists_the_survey_endpoints(staff):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/interventions/{id}/surveys/{period}/{group}/" in schema["paths"]
    assert "/api/v1/associations/{id}/national-averages/{year}/" in schema["paths"]


def test_survey_tables_are_404_for_outsiders_and_the_association_tables_for_coordinators(
    association, coordinator, outsider, viewer, intervention
):
    assert (
        client_for(outsider).get(f"/api/v1/interventions/{intervention.pk}/survey-tables/?period=2024").status_code
        == 404
    )
    assert (
        client_for(coordinator).get(f"/api/v1/interventions/{intervention.pk}/survey-tables/?period=2024").status_code
        == 200
    )
    board_tables = f"/api/v1/associations/{association.pk}/survey-tables/?period=2024"
    assert client_for(coordinator).get(board_tables).status_code == 404
    assert client_for(viewer).get(board_tables).status_code == 200
    bad = client_for(viewer).get(f"/api/v1/associations/{association.pk}/survey-tables/?period=20x4")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "invalid_period"


def test_reading_a_survey_takes_the_same_number_of_queries_however_many_questions(coordinator, intervention):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    one = {**BODY, "answers": BODY["answers"][:1]}
    client.put(url(intervention, "2023"), one, format="json")
    client.put(url(intervention), one, format="json")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(intervention)).status_code == 200
    full = {
        **BODY,
        "answers": [{"question": f"p{n}", "counts": [0, 0, 0, 0, 0, 24], "blank": 0} for n in range(1, 8)],
    }
    client.put(url(intervention, "2023"), full, format="json")
    client.put(url(intervention), full, format="json")
    with CaptureQueriesContext(connection) as many:
        data = client.get(url(intervention)).json()
    assert len(data["answers"]) == 7
    assert len(many) == len(few)


@pytest.mark.parametrize("group", ["board", "managers"])
def test_an_interventions_survey_url_does_not_answer_the_associations_own_surveys(
    association, intervention, staff, coordinator, viewer, group
):
    """Board and managers' surveys belong to the association: reads refuse them on an
    intervention's URL as writes do, so a coordinator never sees them (404, as for any other
    survey that is not theirs to read)."""
    body = {"invited": 7, "answered": {"women": 4, "men": 3}, "answers": []}
    association_url = f"/api/v1/associations/{association.pk}/surveys/2024/{group}/"
    assert client_for(staff).put(association_url, body, format="json").status_code == 201
    for user in (coordinator, viewer, staff):
        response = client_for(user).get(url(intervention, group=group))
        assert response.status_code == 404, (user, response.json())
        assert response.json()["errors"][0]["code"] == "not_found"
    assert client_for(staff).get(association_url).json()["invited"] == 7


@pytest.mark.parametrize("empty", ["", "{}"])
def test_an_empty_body_keeps_the_years_national_averages(association, staff, empty):
    averages = f"/api/v1/associations/{association.pk}/national-averages/2024/"
    client = client_for(staff)
    assert client.put(averages, {"p1": 70.0}, format="json").status_code == 200
    response = client.put(averages, empty, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "empty"
    assert client.get(averages).json() == {"p1": 70.0}
    assert NationalAverage.objects.count() == 1
