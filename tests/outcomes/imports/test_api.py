import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from outcomes.models import ExitCount, PeriodReport
from outcomes.organisations.services import api_token_create
from outcomes.tallies.services import report_approve, report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import BODY

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def item(intervention, period, **changes):
    return {"intervention": intervention.pk, "period": period, **BODY, **changes}


def test_an_import_creates_updates_and_leaves_unchanged_reports_and_counts_them(coordinator, intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    client = client_for(coordinator)
    client.post("/api/v1/imports/", {"reports": [item(intervention, "2024Q2")]}, format="json")
    body = {"reports": [item(intervention, "2024Q1"), item(intervention, "2024Q2"), item(intervention, "2024Q3")]}
    response = client.post("/api/v1/imports/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"dry_run": False, "created": 1, "updated": 1, "unchanged": 1, "errors": []}
    assert PeriodReport.objects.filter(intervention=intervention).count() == 3
    assert PeriodReport.objects.get(period="2024Q1").spent_sek == 590000


def test_a_dry_run_import_answers_the_summary_and_stores_nothing(coordinator, intervention):
    body = {"reports": [item(intervention, "2024Q1"), item(intervention, "2024Q2")]}
    response = client_for(coordinator).post("/api/v1/imports/?dry_run=true", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"dry_run": True, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert not PeriodReport.objects.exists()
    assert not ExitCount.objects.exists()


def test_one_bad_item_stores_nothing_and_every_error_is_named_by_index_field_and_rule(
    coordinator, intervention, teammate_intervention
):
    good = item(intervention, "2024Q1")
    negative = item(intervention, "2024Q2", new={"women": -1})
    unknown_reason = item(
        intervention, "2024Q3", exits=[*BODY["exits"], {"reason": "teleported", "women": 1, "men": 0, "other": 0}]
    )
    not_granted = item(teammate_intervention, "2024Q1")
    bad_period = item(intervention, "2024M02")
    duplicate = item(intervention, "2024Q1")
    body = {"reports": [good, negative, unknown_reason, not_granted, bad_period, duplicate, "no object"]}
    response = client_for(coordinator).post("/api/v1/imports/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["created"] == 0 and data["dry_run"] is False
    by_index = {e["index"]: {(v["field"], v["code"]) for v in e["errors"]} for e in data["errors"]}
    assert by_index == {
        1: {("new.women", "negative_count")},
        2: {("exits[2].reason", "unknown_code")},
        3: {("intervention", "not_found")},
        4: {("period", "not_base_period")},
        5: {("period", "duplicate_report")},
        6: {(None, "invalid")},
    }
    assert all(v["message"] for e in data["errors"] for v in e["errors"])
    assert [e["field"] for e in data["errors"]] == [f"reports[{i}]" for i in range(1, 7)]
    assert not PeriodReport.objects.exists()


def test_an_import_refuses_a_locked_report_and_a_viewer_and_keeps_the_rest_unstored(staff, intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    report = PeriodReport.objects.get()
    report_approve(report=report_submit(report=report))
    body = {"reports": [item(intervention, "2024Q2"), item(intervention, "2024Q1")]}
    response = client_for(staff).post("/api/v1/imports/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert response.json()["errors"][0]["errors"][0]["code"] == "report_locked"
    assert PeriodReport.objects.count() == 1

    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    refused = client_for(viewer).post("/api/v1/imports/", {"reports": [item(intervention, "2024Q3")]}, format="json")
    assert refused.json()["errors"][0]["errors"][0] == {
        "field": "intervention",
        "code": "permission_denied",
        "message": refused.json()["errors"][0]["errors"][0]["message"],
    }


def test_an_import_with_an_outdated_version_is_refused_like_a_stale_if_match(coordinator, intervention):
    client = client_for(coordinator)
    client.post("/api/v1/imports/", {"reports": [item(intervention, "2024Q1")]}, format="json")
    client.post("/api/v1/imports/", {"reports": [item(intervention, "2024Q1", spent_sek=1)]}, format="json")
    stale = client.post(
        "/api/v1/imports/", {"reports": [item(intervention, "2024Q1", spent_sek=2, version=1)]}, format="json"
    )
    assert stale.json()["errors"][0]["errors"][0]["code"] == "version_conflict"
    assert PeriodReport.objects.get().spent_sek == 1


def test_a_later_period_in_the_same_import_continues_from_the_earlier_one(coordinator, intervention):
    first = item(intervention, "2024Q1")
    second = {k: v for k, v in item(intervention, "2024Q2").items() if k != "ongoing_at_start"}
    response = client_for(coordinator).post("/api/v1/imports/", {"reports": [first, second]}, format="json")
    assert response.status_code == 200, response.json()
    q1, q2 = PeriodReport.objects.order_by("period")
    assert q2.ongoing_at_start == q1.ongoing_at_start + q1.new - q1.exits


@pytest.mark.parametrize(
    ("body", "query", "field"),
    [({"reports": "many"}, "", "reports"), ([], "", "reports"), ({"reports": []}, "?dry_run=kanske", "dry_run")],
)
def test_a_malformed_import_is_refused_with_the_field_named(coordinator, body, query, field):
    response = client_for(coordinator).post(f"/api/v1/imports/{query}", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_the_queries_of_an_import_do_not_include_a_catalog_lookup_per_report(staff, association):
    """The catalogs, interventions and write rights are read once per import."""
    client = client_for(staff)
    client.get("/api/v1/interventions/")  # the token's first use writes its last-use time once

    def queries_for(periods):
        fresh = InterventionFactory(association=association)
        body = {"reports": [item(fresh, p) for p in periods]}
        with CaptureQueriesContext(connection) as captured:
            assert client.post("/api/v1/imports/", body, format="json").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    def catalog_reads(queries):
        tables = ("outcomes_exitreason", "outcomes_dimensioncategory", "outcomes_dimension")
        return [q for q in queries if q.startswith("SELECT") and q.split(" FROM ")[1].split()[0].strip('"') in tables]

    two = queries_for(["2024Q1", "2024Q2"])
    four = queries_for(["2024Q1", "2024Q2", "2024Q3", "2024Q4"])
    assert len(catalog_reads(two)) == len(catalog_reads(four)) == 1  # one query for all three catalogs
    per_report = (len(four) - len(two)) / 2
    assert per_report <= 12, per_report


def test_another_associations_interventions_are_not_found_in_an_import(outsider, intervention):
    other = InterventionFactory(association=outsider.memberships.get().association)
    body = {"reports": [item(intervention, "2024Q1"), item(other, "2024Q1")]}
    response = client_for(outsider).post("/api/v1/imports/?dry_run=true", body, format="json")
    assert [(e["index"], e["errors"][0]["code"]) for e in response.json()["errors"]] == [(0, "not_found")]


@pytest.mark.parametrize("intervention_value", [{}, [1], None, True, 1.5])
def test_an_item_whose_intervention_is_not_an_id_is_refused_with_the_field_named(
    coordinator, intervention, intervention_value
):
    body = {
        "reports": [item(intervention, "2024Q1"), {**item(intervention, "2024Q2"), "intervention": intervention_value}]
    }
    response = client_for(coordinator).post("/api/v1/imports/", body, format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert [(e["index"], [v["field"] for v in e["errors"]]) for e in data["errors"]] == [(1, ["intervention"])]
    assert all(v["message"] for e in data["errors"] for v in e["errors"])
    assert not PeriodReport.objects.exists()


def test_a_refused_import_says_it_created_updated_and_left_nothing(coordinator, intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    client = client_for(coordinator)
    client.post("/api/v1/imports/", {"reports": [item(intervention, "2024Q2")]}, format="json")
    good = [item(intervention, "2024Q1"), item(intervention, "2024Q2"), item(intervention, "2024Q3")]
    bad = item(intervention, "2024Q4", new={"women": -1})
    for query in ("", "?dry_run=true"):
        response = client.post(f"/api/v1/imports/{query}", {"reports": [*good, bad]}, format="json")
        assert response.status_code == 400
        data = response.json()
        assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 0), data
        assert [e["index"] for e in data["errors"]] == [3]
    assert PeriodReport.objects.filter(intervention=intervention).count() == 2


def full_report(intervention, period):
    """A report listing every exit reason and every category of the catalog, counts at 999."""
    from outcomes.models import DimensionCategory, ExitReason

    counts = {"women": 999, "men": 999, "other": 999}
    association = intervention.association_id
    return {
        "intervention": intervention.pk,
        "period": period,
        "ongoing_at_start": counts,
        "new": counts,
        "exits": [{"reason": r.code, **counts} for r in ExitReason.objects.filter(association_id=association)],
        "breakdowns": [
            {"dimension": c.dimension.code, "category": c.code, **counts}
            for c in DimensionCategory.objects.filter(dimension__association_id=association).select_related("dimension")
        ],
        "spent_sek": 12_345_678,
        "comment": "Rapport med varje avslutsorsak och kategori.",
    }


def test_an_import_of_the_documented_2000_reports_listing_every_category_is_not_too_large(coordinator, intervention):
    template = full_report(intervention, "2024Q1")
    reports = [{**template, "period": f"{2020 + n // 4}Q{n % 4 + 1}"} for n in range(2000)]
    body = json.dumps({"reports": reports}, indent=2)
    assert len(body) > 8 * 2**20  # far past Django's default of 2.5 MB
    response = client_for(coordinator).post("/api/v1/imports/?dry_run=true", body, content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    assert response.json()["created"] == 2000
    assert not PeriodReport.objects.exists()


def test_an_import_over_its_size_limit_answers_a_json_413(coordinator, intervention):
    from outcomes.imports.api import ImportView

    body = json.dumps({"reports": [{**item(intervention, "2024Q1"), "comment": "x" * ImportView.max_body_size}]})
    response = client_for(coordinator).post("/api/v1/imports/", body, content_type="application/json")
    assert response.status_code == 413, response.content[:300]
    assert response.json()["errors"][0]["code"] == "too_large"


def test_an_import_refuses_a_retired_dimension_category_on_a_report_that_did_not_count_it(coordinator, intervention):
    from outcomes.models import DimensionCategory

    DimensionCategory.objects.filter(dimension__association=intervention.association, code="unknown").filter(
        dimension__code="uvas"
    ).update(active=False)
    response = client_for(coordinator).post(
        "/api/v1/imports/", {"reports": [item(intervention, "2024Q1")]}, format="json"
    )
    assert response.status_code == 400
    [report_errors] = response.json()["errors"]
    assert {(v["field"], v["code"]) for v in report_errors["errors"]} == {
        ("breakdowns[4].category", "retired_category")
    }
    assert not PeriodReport.objects.exists()
