"""Every integer of an API body is bounded to fit the database column it is stored in.

Too large a number is refused with 400 and the field named (PostgreSQL would otherwise answer
``integer out of range`` as a 500); the largest accepted one is stored. Run these against
PostgreSQL too: SQLite stores any 64-bit integer in any integer column.
"""

import pytest

from outcomes.limits import MAX_COUNT, MAX_SMALL
from outcomes.models import Budget, PeriodReport, Survey
from reports.models import Goal
from tests.outcomes.tallies.test_api import BODY, client_for

pytestmark = pytest.mark.django_db

SURVEY = {"invited": 33, "answered": {"women": 14, "men": 9, "other": 1}, "answers": []}
INDICATOR_GOAL = {
    "year": 2024,
    "label": "Nöjda deltagare",
    "kind": "indicator",
    "target": 50,
    "group": "participant_ongoing",
    "indicator_number": 1,
    "figure": "key_figure",
}


def survey_with(counts, blank=0):
    return {**SURVEY, "answers": [{"question": "p1", "counts": counts, "blank": blank}]}


TOO_LARGE = [
    (
        "survey",
        "put",
        "interventions/{i}/surveys/2024/participant_ongoing/",
        {**SURVEY, "invited": MAX_COUNT + 1},
        "invited",
    ),
    (
        "survey",
        "put",
        "interventions/{i}/surveys/2024/participant_ongoing/",
        survey_with([0, 0, 0, 0, 0, MAX_COUNT + 1]),
        "answers[0].counts",
    ),
    (
        "survey",
        "put",
        "interventions/{i}/surveys/2024/participant_ongoing/",
        survey_with([0, 0, 0, 0, 0, 24], MAX_COUNT + 1),
        "answers[0].blank",
    ),
    (
        "survey",
        "put",
        "interventions/{i}/surveys/2024/participant_ongoing/",
        {**SURVEY, "answered": {"women": MAX_COUNT + 1}},
        "answered.women",
    ),
    (
        "goal",
        "post",
        "interventions/{i}/goals/",
        {**INDICATOR_GOAL, "indicator_number": MAX_SMALL + 1},
        "indicator_number",
    ),
    ("goal", "post", "interventions/{i}/goals/", {**INDICATOR_GOAL, "position": MAX_SMALL + 1}, "position"),
    ("budget", "put", "interventions/{i}/budgets/2024/", {"budget_sek": 2**63}, "budget_sek"),
    ("report", "put", "interventions/{i}/reports/2024Q1/", {**BODY, "new": {"women": MAX_COUNT + 1}}, "new.women"),
    ("report", "put", "interventions/{i}/reports/2024Q1/", {**BODY, "spent_sek": 2**63}, "spent_sek"),
    (
        "report",
        "post",
        "imports/",
        {"reports": [{**BODY, "intervention": "{i}", "period": "2024Q1", "version": MAX_COUNT + 1}]},
        "version",
    ),
]
STORED = {"survey": Survey, "goal": Goal, "budget": Budget, "report": PeriodReport}


def with_intervention(body, intervention):
    if isinstance(body, dict) and "reports" in body:
        return {"reports": [{**r, "intervention": intervention.pk} for r in body["reports"]]}
    return body


@pytest.mark.parametrize(("kind", "method", "path", "body", "field"), TOO_LARGE)
def test_an_integer_too_large_for_its_column_is_refused_with_the_field_named(
    staff, intervention, kind, method, path, body, field
):
    url = "/api/v1/" + path.format(i=intervention.pk)
    response = getattr(client_for(staff), method)(url, with_intervention(body, intervention), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    if "reports" in body:
        errors = errors[0]["errors"]
    named = [e for e in errors if (e["field"] or "").startswith(field)]
    assert named and all(e["code"] == "max_value" and e["message"] for e in named), errors
    assert not STORED[kind].objects.exists()


def test_the_largest_counts_a_survey_takes_are_stored(coordinator, intervention):
    body = {
        "invited": MAX_COUNT,
        "answered": {"women": 24},
        "answers": [{"question": "p1", "counts": [0, 0, 0, 0, 0, 24]}],
    }
    url = f"/api/v1/interventions/{intervention.pk}/surveys/2024/participant_ongoing/"
    response = client_for(coordinator).put(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert Survey.objects.get().invited == MAX_COUNT


def test_the_largest_indicator_number_a_goal_takes_is_stored(staff, intervention):
    url = f"/api/v1/interventions/{intervention.pk}/goals/"
    body = {**INDICATOR_GOAL, "indicator_number": MAX_SMALL, "position": MAX_SMALL}
    response = client_for(staff).post(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert (Goal.objects.get().indicator_number, Goal.objects.get().position) == (MAX_SMALL, MAX_SMALL)
