"""Every 4xx (and a 5xx) under /api/ answers the contract's JSON error format."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from outcomes.models import PeriodReport
from outcomes.organisations.services import api_token_create, api_token_revoke
from tests.outcomes.tallies.test_api import BODY

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def only_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert len(errors) == 1 and errors[0]["message"]
    return errors[0]


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v1/", "/api/v1/nothing-here/", "/api/v1/interventions/abc/", "/api/v2/interventions/"]
)
def test_unknown_api_urls_answer_a_json_404(staff, path):
    assert only_error(client_for(staff).get(path), 404)["code"] == "not_found"
    assert only_error(client_for(staff).post(path, {}, format="json"), 404)["code"] == "not_found"


def test_a_method_the_endpoint_does_not_have_answers_a_json_405(staff, intervention):
    response = client_for(staff).delete(f"/api/v1/interventions/{intervention.pk}/")
    assert only_error(response, 405)["code"] == "method_not_allowed"


def test_a_body_that_is_not_json_answers_415_and_broken_json_400(coordinator, intervention):
    url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
    client = client_for(coordinator)
    wrong_type = client.put(url, "ongoing=1", content_type="text/plain")
    assert only_error(wrong_type, 415)["code"] == "unsupported_media_type"
    broken = client.put(url, '{"new": {"women": 1', content_type="application/json")
    assert only_error(broken, 400)["code"] == "parse_error"
    assert not PeriodReport.objects.exists()


def test_wrong_types_in_a_report_body_name_the_field(coordinator, intervention):
    url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
    body = {**BODY, "new": {"women": "många"}, "exits": "none", "spent_sek": 1.5}
    response = client_for(coordinator).put(url, body, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"new.women", "exits", "spent_sek"} <= fields


def test_a_revoked_token_answers_401_in_the_error_format(staff):
    client = APIClient()
    token, secret = api_token_create(user=staff, name="gammal")
    api_token_revoke(token=token)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert only_error(client.get("/api/v1/interventions/"), 401)["code"] == "authentication_failed"


def test_a_server_error_under_api_answers_json_without_details(staff, monkeypatch):
    from outcomes.catalog import api as catalogs

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalogs.ExitReasonViewSet, "list", explode)
    client = client_for(staff)
    client.raise_request_exception = False
    response = client.get("/api/v1/catalog/exit-reasons/")
    error = only_error(response, 500)
    assert error["code"] == "server_error" and "secret" not in error["message"]


@pytest.fixture
def fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(API_THROTTLE_RATE="3/minute")
def test_past_the_rate_a_token_gets_429_with_retry_after_and_another_token_is_not_affected(staff, fresh_throttle_cache):
    client = client_for(staff)
    assert [client.get("/api/v1/interventions/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/interventions/")
    assert only_error(refused, 429)["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client_for(staff).get("/api/v1/interventions/").status_code == 200


@override_settings(API_THROTTLE_RATE=None)
def test_throttling_is_off_when_the_rate_is_empty(staff, fresh_throttle_cache):
    client = client_for(staff)
    assert {client.get("/api/v1/catalog/dimensions/").status_code for _ in range(8)} == {200}


def test_a_bad_period_code_that_reaches_the_handler_is_a_400_on_the_period(staff, monkeypatch):
    from outcomes.catalog import api as catalogs
    from outcomes.periods import Period

    def parse_the_query(self, request, *args, **kwargs):
        Period.parse(request.query_params.get("period", ""))

    monkeypatch.setattr(catalogs.ExitReasonViewSet, "list", parse_the_query)
    error = only_error(client_for(staff).get("/api/v1/catalog/exit-reasons/?period=2024Q9"), 400)
    assert (error["field"], error["code"]) == ("period", "invalid_period")


def deep_json(depth: int) -> str:
    return '{"new": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [950, 30])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "interventions/{i}/reports/2024Q1/"),
        ("post", "imports/"),
        ("put", "interventions/{i}/surveys/2024/staff/"),
        ("put", "associations/{a}/national-averages/2024/"),
        ("post", "interventions/{i}/goals/"),
        ("put", "interventions/{i}/budgets/2024/"),
        ("patch", "interventions/{i}/"),
    ],
)
def test_json_nested_too_deep_is_refused_with_a_400_naming_the_rule(staff, intervention, method, path, depth):
    url = "/api/v1/" + path.format(i=intervention.pk, a=intervention.association_id)
    client = client_for(staff)
    client.raise_request_exception = False
    response = getattr(client, method)(url, deep_json(depth), content_type="application/json")
    error = only_error(response, 400)
    assert error["code"] == "too_deep"
    assert "nivåer" in error["message"]
    assert not PeriodReport.objects.exists()


def test_brackets_inside_strings_do_not_count_as_nesting(coordinator, intervention):
    body = {**BODY, "comment": "[" * 100 + '{"' + "}" * 3}
    response = client_for(coordinator).put(
        f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    assert PeriodReport.objects.get().comment == body["comment"]


def test_a_body_over_the_size_limit_answers_a_json_413_and_stores_nothing(coordinator, intervention):
    from django.conf import settings

    body = {**BODY, "comment": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
    error = only_error(client_for(coordinator).put(url, body, format="json"), 413)
    assert error["code"] == "too_large" and "MB" in error["message"]
    assert not PeriodReport.objects.exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/interventions/%0A/budgets/1/", "/api/v1/%0A", "/api/%0A/x/", "/api/v1/interventions/1%0A/"]
)
def test_api_urls_with_a_newline_answer_a_json_404(staff, path):
    assert only_error(client_for(staff).get(path), 404)["code"] == "not_found"


def test_a_bad_host_under_api_answers_a_json_400(staff):
    response = client_for(staff).get("/api/v1/interventions/", HTTP_HOST="evil.example")
    assert only_error(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize(("handler", "status"), [("handler400", 400), ("handler403", 403), ("handler404", 404)])
def test_the_error_pages_answer_json_under_api_and_html_elsewhere(handler, status, rf):
    from django.core.exceptions import PermissionDenied

    from finsam import urls

    view = getattr(urls, handler)
    api = view(rf.get("/api/v1/interventions/"), exception=PermissionDenied())
    assert api.status_code == status and api["Content-Type"].startswith("application/json")
    assert [e["message"] for e in json.loads(api.content)["errors"]] != [""]
    page = view(rf.get("/insatser/1/2024Q1/"), exception=PermissionDenied())
    assert page.status_code == status and page["Content-Type"].startswith("text/html")
