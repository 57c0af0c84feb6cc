"""The goals API of API.md, with the worked example of DOMAIN.md entered over it."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from outcomes.models import PeriodReport
from reports.models import Goal, GoalResult
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import client_for
from tests.reports.goal_data import LEKEBERG_2024, LEKEBERG_STEPS, report_body

pytestmark = pytest.mark.django_db


def committed(call, *args, **kwargs):
    """Make one API call and run what waits for its commit (the test itself is one transaction)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(*args, **kwargs)


def base(intervention):
    return f"/api/v1/interventions/{intervention.pk}/"


STEP_GOAL = {
    "year": 2024,
    "label": "Stegförflyttning",
    "kind": "step_progression",
    "comparator": "at_least",
    "target": 50,
}


def test_the_lekeberg_example_entered_over_the_api_is_5_of_11_45_percent_and_yellow(staff, coordinator, intervention):
    staff_api, coordinator_api = client_for(staff), client_for(coordinator)
    step_definition = {"reasons": LEKEBERG_STEPS, "excluded_reasons": []}
    assert (
        committed(staff_api.put, base(intervention) + "step-definition/", step_definition, format="json").status_code
        == 200
    )
    created = committed(staff_api.post, base(intervention) + "goals/", STEP_GOAL, format="json")
    assert created.status_code == 201, created.json()

    for period, (start, new, exits) in LEKEBERG_2024.items():
        url = f"{base(intervention)}reports/{period}/"
        saved = committed(coordinator_api.put, url, report_body(start, new, exits), format="json")
        assert saved.status_code in (200, 201), saved.json()
        submitted = committed(coordinator_api.post, url + "submit/")
        assert submitted.json()["status"] == "submitted", submitted.json()

    year = coordinator_api.get(base(intervention) + "goal-results/?period=2024").json()
    assert len(year) == 1
    result = year[0]
    assert result["goal"] == created.json()["id"]
    assert (result["numerator"], result["denominator"]) == (5, 11)
    assert (result["value"], result["percent"]) == (45.5, 45)
    assert (result["target"], result["comparator"], result["status"]) == (50, "at_least", "yellow")
    assert result["stale"] is False and result["computed_at"]
    assert result["period"] == "2024"
    # The first half-year from Q1 and Q2 only: work and studies of 5 exits, 40 % is just yellow.
    half = coordinator_api.get(base(intervention) + "goal-results/?period=2024H1").json()[0]
    assert (half["numerator"], half["denominator"], half["status"]) == (2, 5, "yellow")


def test_a_draft_does_not_count_until_it_is_submitted(staff, coordinator, intervention):
    committed(client_for(staff).post, base(intervention) + "goals/", STEP_GOAL, format="json")
    start, new, exits = LEKEBERG_2024["2024Q1"]
    api = client_for(coordinator)
    url = f"{base(intervention)}reports/2024Q1/"
    committed(api.put, url, report_body(start, new, exits), format="json")
    assert api.get(base(intervention) + "goal-results/?period=2024").json()[0]["status"] == "no_data"
    committed(api.post, url + "submit/")
    result = api.get(base(intervention) + "goal-results/?period=2024").json()[0]
    assert (result["numerator"], result["denominator"], result["status"]) == (1, 3, "red")


def test_changing_the_step_definition_recomputes_the_step_goal(staff, coordinator, intervention):
    api = client_for(staff)
    committed(api.post, base(intervention) + "goals/", STEP_GOAL, format="json")
    start, new, exits = LEKEBERG_2024["2024Q1"]
    url = f"{base(intervention)}reports/2024Q1/"
    committed(api.put, url, report_body(start, new, exits), format="json")
    committed(api.post, url + "submit/")
    assert api.get(base(intervention) + "goal-results/?period=2024").json()[0]["numerator"] == 1
    committed(
        api.put,
        base(intervention) + "step-definition/",
        {"reasons": ["employment", "returned"], "excluded_reasons": []},
        format="json",
    )
    result = api.get(base(intervention) + "goal-results/?period=2024").json()[0]
    assert (result["numerator"], result["denominator"], result["status"]) == (3, 3, "green")


def test_staff_create_read_patch_and_delete_goals_of_every_kind(staff, intervention):
    api = client_for(staff)
    bodies = [
        STEP_GOAL,
        {**STEP_GOAL, "label": "Till arbete", "kind": "share_of_exits", "target": 10, "reasons": ["employment"]},
        {**STEP_GOAL, "label": "Nya", "kind": "count", "target": 40, "measure": "new"},
        {**STEP_GOAL, "label": "Indikator 7", "kind": "indicator", "question": "e6", "figure": "key_figure"},
        {**STEP_GOAL, "label": "Budget", "kind": "budget", "target": 90},
    ]
    for body in bodies:
        response = committed(api.post, base(intervention) + "goals/", body, format="json")
        assert response.status_code == 201, response.json()
    goals = api.get(base(intervention) + "goals/").json()
    assert [g["kind"] for g in goals] == ["step_progression", "share_of_exits", "count", "indicator", "budget"]
    assert goals[1]["reasons"] == ["employment"] and goals[3]["group"] == "participant_exit"
    goal_url = f"{base(intervention)}goals/{goals[0]['id']}/"
    patched = committed(api.patch, goal_url, {"target": 55, "yellow_ratio": 0.9}, format="json")
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["target"], patched.json()["yellow_ratio"], patched.json()["label"]) == (
        55,
        0.9,
        "Stegförflyttning",
    )
    assert api.delete(goal_url).status_code == 204
    assert not Goal.objects.filter(pk=goals[0]["id"]).exists()
    assert not GoalResult.objects.filter(goal_id=goals[0]["id"]).exists()


def test_an_indicator_goal_has_no_data_without_a_survey(staff, intervention):
    body = {**STEP_GOAL, "label": "Indikator 7", "kind": "indicator", "indicator_number": 7}
    body |= {"group": "participant_exit", "figure": "key_figure"}
    committed(client_for(staff).post, base(intervention) + "goals/", body, format="json")
    results = client_for(staff).get(base(intervention) + "goal-results/").json()
    assert len(results) == 5
    assert {r["status"] for r in results} == {"no_data"}


def test_a_goal_that_breaks_rules_is_refused_with_every_field_named_and_nothing_stored(staff, intervention):
    body = {
        "year": 2024,
        "label": "Mål 19121212-1212",
        "kind": "share_of_exits",
        "target": 150,
        "yellow_ratio": 0.8,
        "reasons": ["employment", "teleported"],
        "excluded_reasons": ["employment"],
    }
    response = client_for(staff).post(base(intervention) + "goals/", body, format="json")
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("label", "personal_data"),
        ("target", "target_range"),
        ("reasons[1]", "unknown_code"),
        ("excluded_reasons", "reason_in_both"),
    }
    assert all(e["message"] for e in response.json()["errors"])
    assert not Goal.objects.exists()


@pytest.mark.parametrize("period", ["2024T1", ""])
def test_a_bad_period_for_results_names_the_period(staff, intervention, period):
    # A blank ?period= is a bad period, not "no period" (which would answer every period).
    response = client_for(staff).get(base(intervention) + f"goal-results/?period={period}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "period"


@pytest.mark.parametrize("year", ["abc", "24", "20245", ""])
def test_a_year_that_is_not_a_year_is_refused_naming_it(staff, intervention, year):
    response = client_for(staff).get(base(intervention) + f"goals/?year={year}")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("year", "invalid_year")
    assert error["message"] == "Ange ett år, till exempel 2024."


@pytest.mark.parametrize("value", ["ja", "-5.5", "2", ""])
def test_a_flag_that_is_not_true_or_false_is_refused_naming_it(staff, intervention, value):
    for url in (
        base(intervention) + f"goal-results/?period=2024&include_drafts={value}",
        f"/api/v1/associations/{intervention.association_id}/summary/?period=2024&include_drafts={value}",
    ):
        response = client_for(staff).get(url)
        assert response.status_code == 400, url
        assert response.json()["errors"][0]["field"] == "include_drafts"


def test_coordinators_and_viewers_read_but_only_staff_write(staff, coordinator, intervention):
    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    committed(client_for(staff).post, base(intervention) + "goals/", STEP_GOAL, format="json")
    for reader in (coordinator, viewer):
        api = client_for(reader)
        assert api.get(base(intervention) + "goals/").status_code == 200
        assert api.get(base(intervention) + "goal-results/?period=2024").status_code == 200
        assert api.get(base(intervention) + "step-definition/").status_code == 200
        assert api.post(base(intervention) + "goals/", STEP_GOAL, format="json").status_code == 403
        put = api.put(base(intervention) + "step-definition/", {"reasons": []}, format="json")
        assert put.status_code == 403
    assert Goal.objects.count() == 1


def test_outsiders_and_ungranted_coordinators_get_404(staff, coordinator, outsider, intervention):
    other = InterventionFactory(association=intervention.association)
    committed(client_for(staff).post, base(other) + "goals/", STEP_GOAL, format="json")
    goal = Goal.objects.get()
    for user, target in ((outsider, other), (coordinator, other)):
        api = client_for(user)
        assert api.get(base(target) + "goals/").status_code == 404
        assert api.get(f"{base(target)}goals/{goal.pk}/").status_code == 404
        assert api.get(base(target) + "goal-results/").status_code == 404
        assert api.delete(f"{base(target)}goals/{goal.pk}/").status_code == 404
    assert api.get(f"{base(intervention)}goals/{goal.pk}/").status_code == 404
    assert Goal.objects.exists() and not PeriodReport.objects.exists()


def test_goal_results_take_the_same_number_of_queries_for_one_or_many_goals(staff, intervention):
    api = client_for(staff)
    url = base(intervention) + "goal-results/?period=2024"

    def queries() -> int:
        api.get(url)  # warm the token and session caches alike
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    committed(api.post, base(intervention) + "goals/", STEP_GOAL, format="json")
    one = queries()
    for target in (10, 20, 30):
        committed(api.post, base(intervention) + "goals/", {**STEP_GOAL, "target": target}, format="json")
    assert len(api.get(url).json()) == 4
    assert queries() == one


def test_a_coordinator_previews_results_with_drafts_and_nothing_is_stored(staff, coordinator, intervention):
    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    committed(client_for(staff).post, base(intervention) + "goals/", STEP_GOAL, format="json")
    start, new, exits = LEKEBERG_2024["2024Q1"]
    api = client_for(coordinator)
    committed(api.put, f"{base(intervention)}reports/2024Q1/", report_body(start, new, exits), format="json")
    preview = api.get(base(intervention) + "goal-results/?period=2024&include_drafts=true").json()
    assert (preview[0]["numerator"], preview[0]["denominator"], preview[0]["preview"]) == (1, 3, True)
    assert api.get(base(intervention) + "goal-results/?period=2024").json()[0]["status"] == "no_data"
    assert GoalResult.objects.get(period="2024").status == "no_data"
    assert api.get(base(intervention) + "goal-results/?include_drafts=true").status_code == 400
    denied = client_for(viewer).get(base(intervention) + "goal-results/?period=2024&include_drafts=true")
    assert denied.status_code == 403


def test_goals_and_step_definitions_refuse_a_retired_reason_over_the_api(staff, intervention):
    from outcomes.models import ExitReason

    ExitReason.objects.filter(association=intervention.association, code="moved").update(active=False)
    api = client_for(staff)
    goal = {**STEP_GOAL, "kind": "share_of_exits", "reasons": ["employment", "moved"], "target": 20}
    response = committed(api.post, base(intervention) + "goals/", goal, format="json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("reasons[1]", "retired_reason")]
    assert "”Flytt”" in response.json()["errors"][0]["message"]
    assert not Goal.objects.exists()
    body = {"reasons": ["employment"], "excluded_reasons": ["moved"]}
    response = committed(api.put, base(intervention) + "step-definition/", body, format="json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("excluded_reasons[0]", "retired_reason")]
    assert api.get(base(intervention) + "step-definition/").json()["excluded_reasons"] == []
