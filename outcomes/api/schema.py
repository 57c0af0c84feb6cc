"""OpenAPI post-processing: every operation documents the contract's error answers.

The views raise the same few errors everywhere (the exception handler in
:mod:`outcomes.api.errors` shapes them), so rather than repeating them on each view this hook adds
the ``Error`` component and, where a view has not said otherwise, the statuses an operation can
answer: 400, 401, 403, 404 and 429 for all; 415 for those with a body; 409 and 412 for report
writes. Operations of the contract whose views give no example body get the contract's own.
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
