"""Structured logs (issue 20): with LOG_FORMAT=json, one JSON line per request and per task with
the association id, and never free text a user typed (bodies, comments, query strings)."""

import json
import logging

import pytest
from rest_framework.test import APIClient

from finsam.logs import JsonFormatter
from outcomes.organisations.services import api_token_create
from reports.tasks import goal_results_recompute_goals

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Deltagaren Kalle berättade om sin situation"


def lines(caplog, logger):
    """The JSON lines the formatter writes for ``logger``'s records."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_a_failing_submission_is_one_json_line_with_route_status_user_and_association_and_no_text(
    coordinator, intervention, settings, caplog
):
    settings.LOG_FORMAT = "json"
    client = APIClient()
    _token, secret = api_token_create(user=coordinator, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    caplog.set_level(logging.INFO, logger="finsam.requests")
    response = client.put(
        f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/?secret=query-text",
        {"new": {"women": -1}, "comment": SECRET_COMMENT},
        format="json",
    )
    assert response.status_code == 400
    [line] = lines(caplog, "finsam.requests")
    assert line["event"] == "request" and line["method"] == "PUT" and line["status"] == 400
    assert line["path"] == "/api/v1/interventions/<id:intervention_id>/reports/<str:period>/"
    assert line["user_id"] == coordinator.pk
    assert line["association_id"] == intervention.association_id and line["intervention_id"] == intervention.pk
    assert isinstance(line["duration_ms"], float)
    written = JsonFormatter().format(next(r for r in caplog.records if r.name == "finsam.requests"))
    assert "Kalle" not in written and "query-text" not in written


def test_a_page_request_names_the_association_of_its_url(staff, association, client, settings, caplog):
    settings.LOG_FORMAT = "json"
    client.force_login(staff)
    caplog.set_level(logging.INFO, logger="finsam.requests")
    assert client.get(f"/resultat/forbund/{association.pk}/?period=2024").status_code == 200
    [line] = lines(caplog, "finsam.requests")
    assert (line["path"], line["status"], line["association_id"], line["user_id"]) == (
        "/resultat/forbund/<int:association_id>/",
        200,
        association.pk,
        staff.pk,
    )


def test_a_task_is_one_json_line_with_its_name_state_duration_and_association(intervention, settings, caplog):
    settings.LOG_FORMAT = "json"
    caplog.set_level(logging.INFO, logger="finsam.tasks")
    result = goal_results_recompute_goals.delay(intervention.pk)
    [line] = lines(caplog, "finsam.tasks")
    assert line["event"] == "task" and line["task"] == "reports.tasks.goal_results_recompute_goals"
    assert line["task_id"] == result.id and line["state"] == "SUCCESS"
    assert line["association_id"] == intervention.association_id and line["intervention_id"] == intervention.pk
    assert line["duration_ms"] >= 0


def test_without_the_setting_no_request_or_task_lines_are_written(staff, association, client, settings, caplog):
    settings.LOG_FORMAT = "text"
    client.force_login(staff)
    caplog.set_level(logging.INFO)
    client.get(f"/resultat/forbund/{association.pk}/?period=2024")
    goal_results_recompute_goals.delay(association.interventions.create(name="X", start="2024-01-01").pk)
    assert not [r for r in caplog.records if r.name in ("finsam.requests", "finsam.tasks")]


def test_an_exception_is_logged_with_its_type_and_frames_but_not_its_message():
    try:
        raise ValueError(SECRET_COMMENT)
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["exc_type"] == "ValueError" and "test_structured_logs.py" in line["traceback"]
    assert SECRET_COMMENT not in json.dumps(line)
