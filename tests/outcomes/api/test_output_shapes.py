"""Each answer carries only what the served schema declares: the output serializer is the one
place where a response's shape is written, so the payload cannot hold a field the schema lacks
(schemathesis checks types and required fields; this checks that nothing is left undeclared)."""

from decimal import Decimal

import pytest
from django.test import Client

from outcomes.surveys.services import national_averages_set
from reports.goals.services import GoalInput, goal_create
from tests.outcomes.surveys.test_api import BODY as SURVEY_BODY
from tests.outcomes.tallies.test_api import BODY as REPORT_BODY
from tests.outcomes.tallies.test_api import client_for
from tests.reports.goals.test_api import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_schema(db):
    return Client().get("/api/v1/schema/?format=json").json()


def _resolve(schema: dict, components: dict) -> dict:
    """The schema behind references, single ``allOf`` wrappers and nullable ``oneOf``."""
    while True:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("allOf", ())) == 1:
            schema = schema["allOf"][0]
        elif "oneOf" in schema:
            schema = next(s for s in schema["oneOf"] if s.get("type") != "null")
        else:
            return schema


def undeclared(value, schema: dict, components: dict, path: str = "") -> list[str]:
    """Paths of the payload's keys that the schema does not declare, at any depth."""
    schema = _resolve(schema, components)
    found = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += undeclared(item, schema["properties"][key], components, f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += undeclared(item, schema["items"], components, f"{path}[{index}]")
    return found


def response_schema(served_schema, path: str, method: str = "get", status: str = "200") -> dict:
    return served_schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def test_summary_goal_results_goals_and_surveys_answer_only_declared_fields(
    served_schema, staff, coordinator, intervention, association, django_capture_on_commit_callbacks
):
    staff_api = client_for(staff)
    base = f"/api/v1/interventions/{intervention.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
    committed(client_for(coordinator).put, base + "reports/2024Q1/", REPORT_BODY, format="json")
    committed(client_for(coordinator).post, base + "reports/2024Q1/submit/")
    national_averages_set(association=association, year=2024, values={"p1": "76.0"})
    saved = committed(staff_api.put, base + "surveys/2024/participant_ongoing/", SURVEY_BODY, format="json")
    assert saved.status_code == 201, saved.json()
    components = served_schema["components"]["schemas"]
    calls = {
        "/api/v1/associations/{association_id}/summary/": f"/api/v1/associations/{association.pk}/summary/?period=2024",
        "/api/v1/interventions/{intervention_id}/goal-results/": base + "goal-results/?period=2024",
        "/api/v1/interventions/{intervention_id}/goals/": base + "goals/",
        "/api/v1/interventions/{id}/surveys/{period}/{group}/": base + "surveys/2024/participant_ongoing/",
        "/api/v1/interventions/{intervention_id}/step-definition/": base + "step-definition/",
    }
    for path, url in calls.items():
        response = staff_api.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body, url
        assert undeclared(body, response_schema(served_schema, path), components) == [], url
    preview = client_for(coordinator).get(base + "goal-results/?period=2024&include_drafts=true").json()
    assert preview[0]["preview"] is True
    schema = response_schema(served_schema, "/api/v1/interventions/{intervention_id}/goal-results/")
    assert undeclared(preview, schema, components) == []


def test_an_undeclared_field_is_found():
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {"$ref": "#/x/B"}}}}
    components = {"B": {"type": "object", "properties": {"b": {"type": "integer"}}}}
    assert undeclared({"a": [{"b": 1, "c": 2}], "d": 3}, schema, components) == [".a[0].c", ".d"]
