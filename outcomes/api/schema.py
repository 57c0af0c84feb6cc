"""OpenAPI post-processing: every operation documents the contract's error answers.

The views raise the same few errors everywhere (the exception handler in
:mod:`outcomes.api.errors` shapes them), so rather than repeating them on each view this hook adds
the ``Error`` component and, where a view has not said otherwise, the statuses an operation can
answer: 400, 401, 403, 404 and 429 for all; 415 for those with a body; 409 and 412 for report
writes. Operations of the contract whose views give no example body get the contract's own.
A second hook, :func:`add_links`, declares the OpenAPI links between operations.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Fel enligt kontraktet: stabil engelsk kod, svenskt meddelande, fältet som felet gäller.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True, "example": "exits[2].women"},
                    "code": {"type": "string", "example": "exits_sum"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
            },
        }
    },
    "required": ["errors"],
}

DESCRIPTIONS = {
    "400": "Felaktig begäran: varje fel med fält och regel.",
    "401": "Inloggning eller API-nyckel saknas eller är ogiltig.",
    "403": "Rollen får inte göra detta.",
    "404": "Finns inte, eller hör till ett annat förbund eller en insats du inte har behörighet till.",
    "405": "Metoden är inte tillåten.",
    "409": "Rapporten är godkänd och låst.",
    "412": "If-Match anger inte rapportens nuvarande version.",
    "415": "Innehållet är inte JSON.",
    "429": "För många anrop; se Retry-After.",
}


def _response(status: str) -> dict:
    response = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Sekunder att vänta."}}
    return response


# The contract's own example bodies (API.md), for operations whose view gives none.
CONTRACT_EXAMPLES = {
    ("put", "/surveys/{period}/{group}/"): {
        "invited": 33,
        "answered": {"women": 14, "men": 9, "other": 1},
        "answers": [{"question": "p1", "counts": [0, 1, 2, 6, 8, 7], "blank": 0}],
    },
    ("put", "/national-averages/{year}/"): {"p1": 76.0, "e6": 59.0},
}


def _add_contract_example(path: str, method: str, operation: dict) -> None:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None or "examples" in body or "example" in body:
        return
    for (example_method, suffix), value in CONTRACT_EXAMPLES.items():
        if method == example_method and path.endswith(suffix):
            body["examples"] = {"Kontraktets exempel": {"value": value, "summary": "Exempel ur API-kontraktet"}}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            statuses = ["400", "401", "403", "404", "405", "429"]
            if "requestBody" in operation or method in {"put", "post", "patch"}:
                statuses.append("415")
            if "/reports/{period}/" in path and method in {"put", "post"}:
                statuses += ["409", "412"]
            _add_contract_example(path, method, operation)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, _response(status))
    return result


# --- OpenAPI links ------------------------------------------------------------------------------
# How one answer leads to the next request: a created intervention to its reports, budgets, goals
# and surveys; a saved report to its workflow; a list to its items. Clients can follow them, and
# schemathesis' stateful run walks them so that generated requests reach real objects.
_INTERVENTION = {"intervention_id": "$response.body#/id"}
_FIRST_INTERVENTION = {"intervention_id": "$response.body#/results/0/id"}
_SAME_REPORT = {"intervention_id": "$request.path.intervention_id", "period": "$request.path.period"}
_SAME_SURVEY = {"id": "$request.path.id", "period": "$request.path.period", "group": "$request.path.group"}
_GOAL = {"intervention_id": "$request.path.intervention_id", "goal_id": "$response.body#/id"}
_PER_INTERVENTION = (
    "interventions_reports_list",
    "interventions_reports_update",
    "interventions_budgets_update",
    "interventions_goals_list",
    "interventions_goals_create",
    "interventions_goal_results_list",
    "interventions_step_definition_retrieve",
    "interventions_step_definition_update",
)
_BY_ID = ("interventions_retrieve", "interventions_partial_update", "interventions_survey_tables_retrieve")


def _links_from_an_intervention(intervention_id: str) -> dict:
    parameters = {"intervention_id": intervention_id}
    links = dict.fromkeys(_PER_INTERVENTION, parameters)
    links |= {target: {"id": intervention_id} for target in _BY_ID}
    links["interventions_surveys_update"] = {"id": intervention_id}
    return links


# source operationId -> {target operationId: {parameter: runtime expression}}
LINKS = {
    "interventions_create": _links_from_an_intervention(_INTERVENTION["intervention_id"]),
    "interventions_list": _links_from_an_intervention(_FIRST_INTERVENTION["intervention_id"]),
    "interventions_retrieve": {"associations_summary_retrieve": {"association_id": "$response.body#/association"}},
    "interventions_reports_update": dict.fromkeys(
        ("interventions_reports_retrieve", "interventions_reports_submit_create", "interventions_reports_update"),
        _SAME_REPORT,
    ),
    "interventions_reports_submit_create": {"interventions_reports_approve_create": _SAME_REPORT},
    "interventions_reports_approve_create": {"interventions_reports_reopen_create": _SAME_REPORT},
    "interventions_reports_reopen_create": {"interventions_reports_update": _SAME_REPORT},
    "interventions_goals_create": dict.fromkeys(
        ("interventions_goals_retrieve", "interventions_goals_partial_update", "interventions_goals_destroy"), _GOAL
    ),
    "interventions_budgets_update": {
        "interventions_budgets_retrieve": {
            "intervention_id": "$request.path.intervention_id",
            "year": "$request.path.year",
        }
    },
    "interventions_surveys_update": {"interventions_surveys_retrieve": _SAME_SURVEY},
    "associations_surveys_update": {"associations_surveys_retrieve": _SAME_SURVEY},
    "associations_national_averages_update": {
        "associations_national_averages_retrieve": {"id": "$request.path.id", "year": "$request.path.year"}
    },
}


def add_links(result, generator, request, public):
    """Declare :data:`LINKS` on the successful answers of their source operations. A target that
    is not in the schema (a narrower public schema) is left out rather than dangling."""
    operations = {
        operation["operationId"]: operation
        for operations in result.get("paths", {}).values()
        for operation in operations.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for source, targets in LINKS.items():
        if source not in operations:
            continue
        for status, response in operations[source].get("responses", {}).items():
            if not status.startswith("2"):
                continue
            links = response.setdefault("links", {})
            for target, parameters in targets.items():
                if target in operations:
                    links[target] = {"operationId": target, "parameters": parameters}
    return result
