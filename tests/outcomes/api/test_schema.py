"""The served OpenAPI schema: it agrees with the contract, its pages need no CDN, and a
schemathesis run against it finds no server error and no answer that disagrees with it."""

import datetime as dt
import os
import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from finsam.wsgi import application
from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create
from outcomes.organisations.services import api_token_create
from outcomes.tallies.inputs import ReportInput
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory

CONTRACT_PATHS = {
    ("get", "/api/v1/interventions/"),
    ("post", "/api/v1/interventions/"),
    ("get", "/api/v1/interventions/{id}/"),
    ("patch", "/api/v1/interventions/{id}/"),
    ("put", "/api/v1/interventions/{intervention_id}/budgets/{year}/"),
    ("get", "/api/v1/catalog/exit-reasons/"),
    ("get", "/api/v1/catalog/dimensions/"),
    ("get", "/api/v1/catalog/survey-questions/"),
    ("get", "/api/v1/interventions/{intervention_id}/reports/{period}/"),
    ("put", "/api/v1/interventions/{intervention_id}/reports/{period}/"),
    ("post", "/api/v1/interventions/{intervention_id}/reports/{period}/submit/"),
    ("post", "/api/v1/interventions/{intervention_id}/reports/{period}/approve/"),
    ("post", "/api/v1/interventions/{intervention_id}/reports/{period}/reopen/"),
    ("post", "/api/v1/imports/"),
}


@pytest.fixture
def served_schema(db):
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_has_every_endpoint_of_this_issue_in_the_contract(served_schema):
    served = {(method, path) for path, ops in served_schema["paths"].items() for method in ops}
    assert served >= CONTRACT_PATHS


def test_the_schema_names_the_contracts_fields_and_codes(served_schema):
    schemas = served_schema["components"]["schemas"]
    report_in = schemas["ReportInputRequest"]["properties"]
    assert set(report_in) == {"ongoing_at_start", "new", "exits", "breakdowns", "spent_sek", "comment", "measures"}
    assert "measures" in schemas["ReportOutput"]["properties"]
    activity = schemas["ActivityInputRequest"]["properties"]
    assert {"date", "title", "kind", "occasions", "attendees", "estimated", "attendees_by_gender"} <= set(activity)
    assert {"attendees_by_organisation", "exhibitors", "evaluation", "spent_sek"} <= set(activity)
    assert "/api/v1/interventions/{intervention_id}/activities/{activity_id}/" in served_schema["paths"]
    assert "/api/v1/catalog/measures/" in served_schema["paths"]
    report_out = schemas["ReportOutput"]["properties"]
    assert {"period", "status", "version", "exits_total", "ongoing_at_end", "participants", "warnings"} <= set(
        report_out
    )
    assert set(schemas["ImportSummary"]["properties"]) >= {"created", "updated", "unchanged", "errors"}
    assert set(schemas["Error"]["properties"]["errors"]["items"]["properties"]) == {"field", "code", "message"}
    intervention = schemas["InterventionRequest"]["properties"]
    assert {"association", "name", "owner", "kind", "frequency", "start", "end"} <= set(intervention)
    put = served_schema["paths"]["/api/v1/interventions/{intervention_id}/reports/{period}/"]["put"]
    assert {"200", "201", "400", "401", "403", "404", "409", "412"} <= set(put["responses"])
    assert put["responses"]["200"]["headers"]["ETag"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in put["parameters"])
    examples = put["requestBody"]["content"]["application/json"]["examples"]
    assert any(e["value"].get("exits") for e in examples.values())


def test_the_report_and_survey_bodies_have_examples_in_the_schema(served_schema):
    paths = served_schema["paths"]
    report = paths["/api/v1/interventions/{intervention_id}/reports/{period}/"]["put"]
    survey = paths["/api/v1/interventions/{id}/surveys/{period}/{group}/"]["put"]
    for operation in (report, survey):
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert examples and all(example["value"] for example in examples.values())
    survey_example = next(iter(survey["requestBody"]["content"]["application/json"]["examples"].values()))
    assert survey_example["value"]["answers"][0]["counts"] == [0, 1, 2, 6, 8, 7]


def test_the_schema_is_also_served_at_the_issues_unversioned_address(db):
    assert Client().get("/api/schema/?format=json").json()["paths"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_everything_from_the_service_itself(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"(?:src|href)='([^']+)'", page)
    assert sources, page
    assert all(not re.match(r"^(https?:)?//", source) for source in sources), sources
    assert "cdn" not in page.lower()
    static = [source.split("?")[0].removeprefix("/static/") for source in sources if source.startswith("/static/")]
    assert static
    for name in static:  # shipped by drf-spectacular-sidecar, served by WhiteNoise in production
        assert finders.find(name), name


# --- schemathesis -------------------------------------------------------------------------------
# The schema is fetched from the running application (WSGI, in-process) as a client would fetch
# it. Each operation gets a bounded number of generated requests, valid ones and invalid ones,
# all signed with a staff member's token; about half of them address a real intervention and period.

# Six per mode in `make test`; CI's PostgreSQL run sets SCHEMATHESIS_EXAMPLES=50 (.ci/run).
EXAMPLES_PER_MODE = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
# Scenarios of the stateful run, each a walk of up to STATEFUL_STEPS linked calls.
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_SCENARIOS", "20"))
STATEFUL_STEPS = 8
# Operation labels for the test ids, from the generator; the run itself uses the served schema.
LABELS = sorted(
    f"{method.upper()} {path}"
    for path, operations in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in operations
)
_served = {}


def served_operations() -> dict:
    """The operations of the schema as the service serves it, fetched once per test run."""
    if not _served:
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
        _served.update({op.label: op for op in (result.ok() for result in schema.get_all_operations())})
    return _served


@pytest.fixture(scope="module")
def schemathesis_tally(request):
    """Counts the generated requests and their answers by status class, and prints one line when
    the module ends (``schemathesis: N requests, M operations, K server errors``) so that CI's log
    shows how deep the run went."""
    tally = {"requests": 0, "operations": set(), "5xx": 0}
    yield tally
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(
                f"schemathesis: {tally['requests']} requests, {len(tally['operations'])} operations, "
                f"{tally['5xx']} server errors ({EXAMPLES_PER_MODE} examples per operation and mode, "
                f"{STATEFUL_SCENARIOS} stateful scenarios)"
            )


def _count(tally, case, response) -> None:
    tally["requests"] += 1
    tally["operations"].add(case.operation.label)
    tally["5xx"] += response.status_code >= 500


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calls go to the WSGI application itself, which closes the database connection after each
    request; with PostgreSQL that would end the test's transaction. Django's test client
    disconnects the same receivers for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db, settings, wsgi_keeps_the_test_connection):
    """A staff member whose token every generated request carries, with an intervention and a
    report to find, so that cases reach real objects rather than only 404s."""
    settings.API_THROTTLE_RATE = None
    cache.clear()
    membership = MembershipFactory(role="staff")
    intervention = InterventionFactory(association=membership.association)
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(2, 1, 0)))
    _token, secret = api_token_create(user=membership.user, name="schemathesis")
    return {"intervention": intervention, "headers": {"Authorization": f"Token {secret}"}}


def aim_at_real_objects(case, intervention) -> None:
    """Point about half the cases at the real intervention, period and association. The schema's
    ids are digit strings, and generated ones find a real object only by luck: on a fresh SQLite
    database, whose ids start at 1, now and then; on PostgreSQL after other tests, whose
    sequences are not rolled back, never."""
    parameters = case.path_parameters or {}
    for name in ("intervention_id", "id"):
        value = parameters.get(name)
        if isinstance(value, int | str) and str(value).isdigit() and int(value) % 2 == 0:
            parameters[name] = intervention.pk
    if isinstance(parameters.get("period"), str) and len(parameters["period"]) % 2 == 0:
        parameters["period"] = "2024Q1"
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("association"), int) and body["association"] % 2 == 0:
        body["association"] = intervention.association_id


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_the_api_agrees_with_its_schema_and_never_fails_with_a_server_error(api_world, schemathesis_tally, label, mode):
    operation = served_operations()[label]
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        aim_at_real_objects(case, api_world["intervention"])
        response = case.call(headers=api_world["headers"])
        _count(schemathesis_tally, case, response)
        case.validate_response(response, checks=checks, headers=api_world["headers"])

    run()


def test_the_schema_links_a_created_intervention_to_its_reports_and_a_saved_report_to_its_workflow(served_schema):
    paths = served_schema["paths"]
    created = paths["/api/v1/interventions/"]["post"]["responses"]["201"]["links"]
    assert created["interventions_reports_update"]["parameters"] == {"intervention_id": "$response.body#/id"}
    saved = paths["/api/v1/interventions/{intervention_id}/reports/{period}/"]["put"]["responses"]["200"]["links"]
    assert saved["interventions_reports_submit_create"]["parameters"]["period"] == "$request.path.period"
    operation_ids = {op["operationId"] for ops in paths.values() for op in ops.values()}
    targets = {
        link["operationId"]
        for ops in paths.values()
        for op in ops.values()
        for response in op["responses"].values()
        for link in response.get("links", {}).values()
    }
    assert targets <= operation_ids


def test_the_api_holds_along_its_links(api_world, schemathesis_tally):
    """Stateful run: sequences of calls that follow the schema's links (create an intervention,
    save a report for it, submit, approve, reopen; create a goal, read it, change it, delete it)
    with generated bodies; every answer must be no server error and agree with the schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    headers = api_world["headers"]
    reached = set()

    class Workflow(schema.as_state_machine()):
        # Each scenario starts from the same data: Hypothesis replays choice prefixes and refuses a
        # run whose bundles or preconditions depend on what an earlier scenario left behind.
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            aim_at_real_objects(case, api_world["intervention"])

        def after_call(self, response, case):
            _count(schemathesis_tally, case, response)
            if response.status_code < 300 and "{" in case.operation.path:
                reached.add(case.operation.label)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
    )
    # The walks reach real objects, not only 404s, on PostgreSQL after the file's other tests too
    # (with ids aimed at real objects; before, the walk there reached one operation at most).
    assert len(reached) >= 2, reached


def test_a_structural_interventions_summary_row_without_participant_fields_agrees_with_the_schema(
    served_schema, api_world
):
    # served_schema first: Django's test client reconnects close_old_connections after its
    # request, which would undo api_world's wsgi_keeps_the_test_connection (PostgreSQL then closes
    # the test's connection at the next WSGI call).
    """A structural intervention's summary row (and its year before) leaves the participant
    figures out (API.md "Activities of structural interventions"): the schema does not require
    them there, while the individual intervention's row and the totals carry them."""
    individual = api_world["intervention"]
    structural = InterventionFactory(association=individual.association, kind="structural", start=dt.date(2023, 1, 1))
    activity_create(
        intervention=structural,
        data=ActivityInput(date=dt.date(2024, 2, 5), title="Rehabiliteringsmässan", kind="conference", attendees=200),
    )
    saved = report_save(intervention=structural, period_code="2024Q1", data=ReportInput(spent_sek=25310))
    report_submit(report=saved.report)
    operation = served_operations()["GET /api/v1/associations/{association_id}/summary/"]
    case = operation.Case(path_parameters={"association_id": individual.association_id}, query={"period": "2024Q1"})
    response = case.call(headers=api_world["headers"])
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["interventions"]}
    left_out = {"participants", "ongoing_at_start", "new", "exits", "ongoing_at_end", "exits_by_reason"}
    left_out |= {"step_progression", "cost_per_participant_sek"}
    assert not left_out & set(rows[structural.pk]) and not left_out & set(rows[structural.pk]["previous_year"])
    assert rows[structural.pk]["cost_per_attendee_sek"] == 127
    assert left_out <= set(rows[individual.pk]) and left_out <= set(response.json()["totals"])
    case.validate_response(response, checks=[response_schema_conformance], headers=api_world["headers"])
    components = served_schema["components"]["schemas"]
    assert not left_out & set(components["InterventionRow"]["required"])
    assert not left_out & set(components["PreviousYear"]["required"])
    assert left_out <= set(components["Totals"]["required"]) and left_out <= set(
        components["PreviousTotals"]["required"]
    )
