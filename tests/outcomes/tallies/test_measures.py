"""Counted measures on period reports: the API body's ``measures``, their rules and history."""

import pytest

from outcomes.models import Measure, MeasureCount, PeriodReport, ReportHistory
from tests.factories import InterventionFactory
from tests.outcomes.tallies.test_api import BODY, client_for

pytestmark = pytest.mark.django_db


def url(intervention, period="2024Q1"):
    return f"/api/v1/interventions/{intervention.pk}/reports/{period}/"


@pytest.fixture
def client(staff):
    return client_for(staff)


def test_a_report_stores_and_answers_its_measures_per_gender_or_as_one_total(client, intervention):
    body = {
        **BODY,
        "measures": [
            {"measure": "advisory_calls", "total": 22},
            {"measure": "information_meetings", "women": 3, "men": 1, "other": 0},
        ],
    }
    response = client.put(url(intervention), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["measures"] == [
        {"measure": "advisory_calls", "women": None, "men": None, "other": None, "total": 22},
        {"measure": "information_meetings", "women": 3, "men": 1, "other": 0, "total": 4},
    ]
    assert client.get(url(intervention)).json()["measures"] == response.json()["measures"]


def test_a_measure_left_out_is_blank_and_a_zero_is_kept_as_zero(client, intervention):
    body = {**BODY, "measures": [{"measure": "advisory_calls", "total": 0}]}
    assert client.put(url(intervention), body, format="json").status_code == 201
    stored = MeasureCount.objects.get()
    assert (stored.measure.code, stored.total) == ("advisory_calls", 0)
    assert not MeasureCount.objects.filter(measure__code="referrals").exists()


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ({"measure": "advisory_calls", "women": 3}, "measures[0].women", "measure_split"),
        ({"measure": "information_meetings", "total": 5}, "measures[0].total", "measure_split"),
        ({"measure": "no_such_measure", "total": 5}, "measures[0].measure", "unknown_code"),
        ({"measure": "advisory_calls", "total": -1}, "measures[0].total", "negative_count"),
        ({"measure": "referrals", "women": -2}, "measures[0].women", "negative_count"),
    ],
)
def test_bad_measures_are_refused_with_the_field_named_and_nothing_is_stored(client, intervention, row, field, code):
    response = client.put(url(intervention), {**BODY, "measures": [row]}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in errors]
    assert all(e["message"] for e in errors)
    assert not PeriodReport.objects.exists() and not MeasureCount.objects.exists()


def test_a_negative_measure_is_named_by_its_label_never_its_code(client, intervention):
    response = client.put(
        url(intervention), {**BODY, "measures": [{"measure": "advisory_calls", "total": -1}]}, format="json"
    )
    label = Measure.objects.get(code="advisory_calls").label_sv
    message = next(e["message"] for e in response.json()["errors"] if e["code"] == "negative_count")
    assert f"”{label}”" in message and "advisory_calls" not in message


def test_a_retired_measure_is_refused_in_a_new_report_but_kept_in_one_that_counted_it(client, intervention):
    row = {"measure": "advisory_calls", "total": 4}
    assert client.put(url(intervention), {**BODY, "measures": [row]}, format="json").status_code == 201
    Measure.objects.filter(code="advisory_calls").update(active=False)
    changed = {**BODY, "measures": [{**row, "total": 5}]}
    assert client.put(url(intervention), changed, format="json").status_code == 200
    response = client.put(url(intervention, "2024Q2"), changed, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "retired_measure"


def test_every_measure_value_change_is_in_the_history_blank_to_zero_included(client, intervention):
    client.put(url(intervention), {**BODY, "measures": [{"measure": "advisory_calls", "total": 0}]}, format="json")
    client.put(url(intervention), {**BODY, "measures": [{"measure": "advisory_calls", "total": 7}]}, format="json")
    client.put(url(intervention), BODY, format="json")
    changes = [
        (h.old, h.new)
        for h in ReportHistory.objects.filter(field="measures.advisory_calls.total").order_by("version", "id")
    ]
    assert changes == [("", "0"), ("0", "7"), ("7", "")]


def test_a_structural_intervention_refuses_participant_counts_and_takes_spending_and_measures(client, association):
    structural = InterventionFactory(association=association, kind="structural")
    Measure.objects.filter(code="referrals").update(kinds=["individual", "structural"])
    refused = client.put(url(structural), BODY, format="json")
    assert refused.status_code == 400
    codes = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert ("new", "structural_no_participants") in codes and ("exits", "structural_no_participants") in codes
    assert not PeriodReport.objects.exists()
    body = {"spent_sek": 25310, "comment": "Mässa i oktober", "measures": [{"measure": "referrals", "women": 2}]}
    accepted = client.put(url(structural), body, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["spent_sek"] == 25310
    submitted = client.post(url(structural) + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_a_measure_not_offered_for_the_kind_is_refused(client, association):
    structural = InterventionFactory(association=association, kind="structural")
    response = client.put(url(structural), {"measures": [{"measure": "advisory_calls", "total": 3}]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "measure_not_offered"


def test_the_import_takes_measures_too(client, intervention):
    body = {
        "reports": [
            {
                "intervention": intervention.pk,
                "period": "2024Q1",
                **BODY,
                "measures": [{"measure": "work_training", "women": 4, "men": 2}],
            }
        ]
    }
    response = client.post("/api/v1/imports/", body, format="json")
    assert response.status_code == 200, response.json()
    assert MeasureCount.objects.get().total == 6
    bad = {
        "reports": [
            {
                "intervention": intervention.pk,
                "period": "2024Q2",
                "measures": [{"measure": "work_training", "total": 3}],
            }
        ]
    }
    refused = client.post("/api/v1/imports/", bad, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["errors"][0]["code"] == "measure_split"
    assert MeasureCount.objects.count() == 1


def test_the_measures_catalog_lists_split_aggregation_and_kinds(client, association):
    response = client.get(f"/api/v1/catalog/measures/?association={association.pk}")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["work_training"]["aggregation"] == "last"
    assert rows["advisory_calls"]["split"] == "total"
    assert rows["referrals"]["kinds"] == ["individual"]
