import pytest
from rest_framework.test import APIClient

from outcomes.models import PeriodReport
from outcomes.organisations.services import api_token_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BODY = {
    "ongoing_at_start": {"women": 20, "men": 15, "other": 1},
    "new": {"women": 2, "men": 1},
    "exits": [
        {"reason": "employment", "women": 2, "men": 1, "other": 0},
        {"reason": "returned", "women": 3, "men": 2, "other": 0},
    ],
    "breakdowns": [
        {"dimension": dimension, "category": "unknown", "women": 2, "men": 1, "other": 0}
        for dimension in [
            "age_band",
            "education",
            "income_source",
            "time_on_support",
            "uvas",
            "referrer",
            "home_municipality",
        ]
    ],
    "spent_sek": 590000,
    "comment": "",
}


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def url(intervention, period="2024Q1", action=""):
    return f"/api/v1/interventions/{intervention.pk}/reports/{period}/{action}"


def test_a_coordinator_puts_a_report_and_reads_it_back_with_derived_figures(coordinator, intervention):
    client = client_for(coordinator)
    response = client.put(url(intervention), BODY, format="json")
    assert response.status_code == 201, response.json()
    data = client.get(url(intervention)).json()
    assert data["status"] == "draft"
    assert data["exits_total"] == {"women": 5, "men": 3, "other": 0, "total": 8}
    assert data["participants"]["total"] == 39
    assert data["ongoing_at_end"] == {"women": 17, "men": 13, "other": 1, "total": 31}
    assert data["warnings"] == []


def test_putting_the_same_report_twice_keeps_one_version(coordinator, intervention):
    client = client_for(coordinator)
    first = client.put(url(intervention), BODY, format="json")
    second = client.put(url(intervention), BODY, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["version"] == 1 and second["ETag"] == '"1"'


def test_a_stale_if_match_answers_412_and_changes_nothing(coordinator, intervention):
    client = client_for(coordinator)
    client.put(url(intervention), BODY, format="json")
    client.put(url(intervention), {**BODY, "spent_sek": 1}, format="json", HTTP_IF_MATCH='"1"')
    response = client.put(url(intervention), {**BODY, "spent_sek": 2}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["errors"][0]["code"] == "version_conflict"
    assert PeriodReport.objects.get().spent_sek == 1


@pytest.mark.parametrize("if_match", ['"1"', 'W/"1"', "1", " 1 ", "*"])
def test_if_match_takes_the_etag_in_each_form_clients_send(coordinator, intervention, if_match):
    client = client_for(coordinator)
    client.put(url(intervention), BODY, format="json")
    response = client.put(url(intervention), {**BODY, "spent_sek": 1}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 200, response.json()
    assert PeriodReport.objects.get().spent_sek == 1


@pytest.mark.parametrize("if_match", ['"one"', '"1", "2"', "W/", '"1.5"'])
def test_an_if_match_that_names_no_version_answers_412_saying_what_it_should_be(coordinator, intervention, if_match):
    client = client_for(coordinator)
    client.put(url(intervention), BODY, format="json")
    response = client.put(url(intervention), {**BODY, "spent_sek": 1}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 412
    assert 'If-Match ska vara en version som ETag anger, till exempel "3".' in response.json()["errors"][0]["message"]
    assert PeriodReport.objects.get().spent_sek == 590000


def test_bad_input_is_refused_with_the_field_and_rule_named_and_nothing_stored(coordinator, intervention):
    client = client_for(coordinator)
    body = {**BODY, "new": {"women": -1}, "exits": [*BODY["exits"], {"reason": "teleported", "women": 1}]}
    response = client.put(url(intervention), body, format="json")
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert ("new.women", "negative_count") in errors
    assert ("exits[2].reason", "unknown_code") in errors
    assert all(e["message"] for e in response.json()["errors"])
    assert not PeriodReport.objects.exists()


@pytest.mark.parametrize("period", ["2024", "2024M01", "2024Q9", "nonsense"])
def test_a_period_that_is_not_a_base_period_is_refused(coordinator, intervention, period):
    response = client_for(coordinator).put(url(intervention, period), BODY, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "period"


def test_a_draft_may_break_the_sum_rule_but_submit_lists_the_broken_rule_by_body_field(coordinator, intervention):
    client = client_for(coordinator)
    body = {**BODY, "new": {"women": 3, "men": 1}}
    response = client.put(url(intervention), body, format="json")
    assert response.status_code == 201
    assert {w["code"] for w in response.json()["warnings"]} == {"dimension_sum"}
    submit = client.post(url(intervention, action="submit/"))
    assert submit.status_code == 400
    assert {e["code"] for e in submit.json()["errors"]} == {"dimension_sum"}
    assert client.put(url(intervention), BODY, format="json").status_code == 200
    assert client.post(url(intervention, action="submit/")).json()["status"] == "submitted"


def test_staff_approve_which_locks_and_reopen_with_a_reason(coordinator, staff, intervention):
    client_for(coordinator).put(url(intervention), BODY, format="json")
    client_for(coordinator).post(url(intervention, action="submit/"))
    assert client_for(coordinator).post(url(intervention, action="approve/")).status_code == 403
    staff_client = client_for(staff)
    assert staff_client.post(url(intervention, action="approve/")).json()["status"] == "approved"
    locked = client_for(coordinator).put(url(intervention), {**BODY, "spent_sek": 5}, format="json")
    assert locked.status_code == 409
    assert staff_client.post(url(intervention, action="reopen/"), {}, format="json").status_code == 400
    reopened = staff_client.post(url(intervention, action="reopen/"), {"reason": "Fel i avslut"}, format="json")
    assert reopened.json()["status"] == "draft"


def test_other_associations_and_ungranted_interventions_answer_404(
    coordinator, outsider, intervention, teammate_intervention
):
    client_for(coordinator).put(url(intervention), BODY, format="json")
    assert client_for(outsider).get(url(intervention)).status_code == 404
    assert client_for(outsider).put(url(intervention), BODY, format="json").status_code == 404
    assert client_for(coordinator).put(url(teammate_intervention), BODY, format="json").status_code == 404


def test_a_viewer_reads_but_may_not_write(intervention, coordinator):
    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    client_for(coordinator).put(url(intervention), BODY, format="json")
    assert client_for(viewer).get(url(intervention)).status_code == 200
    response = client_for(viewer).put(url(intervention), BODY, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_without_a_token_the_api_answers_401(intervention):
    response = APIClient().get(url(intervention))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("empty", ["", "{}", '{"unknown_field": 1}'])
def test_a_body_without_any_report_field_does_not_replace_the_report(coordinator, intervention, empty):
    client = client_for(coordinator)
    assert client.put(url(intervention), BODY, format="json").status_code == 201
    response = client.put(url(intervention), empty, content_type="application/json")
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["code"] == "empty_report" and "new" in error["message"]
    report = PeriodReport.objects.get()
    assert (report.version, report.spent_sek, report.new.women) == (1, 590000, 2)


def test_an_import_item_without_any_report_field_is_refused_like_the_same_put(coordinator, intervention):
    body = {"reports": [{"intervention": intervention.pk, "period": "2024Q1"}]}
    response = client_for(coordinator).post("/api/v1/imports/", body, format="json")
    assert response.status_code == 400
    assert [v["code"] for v in response.json()["errors"][0]["errors"]] == ["empty_report"]
    assert not PeriodReport.objects.exists()


def test_a_put_that_takes_the_year_past_its_budget_is_saved_with_an_over_budget_warning(coordinator, intervention):
    from outcomes.organisations.services import budget_set

    budget_set(intervention=intervention, year=2024, budget_sek=1000000)
    client = client_for(coordinator)
    assert client.put(url(intervention, "2024Q1"), BODY, format="json").json()["warnings"] == []
    continued = {key: value for key, value in BODY.items() if key != "ongoing_at_start"}
    response = client.put(url(intervention, "2024Q2"), continued, format="json")
    assert response.status_code == 201
    warnings = [w for w in response.json()["warnings"] if w["code"] == "over_budget"]
    assert warnings == [
        {
            "field": "spent_sek",
            "code": "over_budget",
            "message": "Förbrukat under 2024 blir 1\xa0180\xa0000 kr, mer än årets budget på 1\xa0000\xa0000 kr.",
        }
    ]
    assert PeriodReport.objects.get(period="2024Q2").spent_sek == 590000
    assert [w["code"] for w in client.get(url(intervention, "2024Q2")).json()["warnings"]] == ["over_budget"]


def test_a_put_with_a_retired_exit_reason_is_refused_unless_the_report_already_counts_it(coordinator, intervention):
    from outcomes.models import ExitReason

    client = client_for(coordinator)
    assert client.put(url(intervention, "2024Q1"), BODY, format="json").status_code == 201
    ExitReason.objects.filter(association=intervention.association, code="returned").update(active=False)
    # The report that counted it before keeps it, and may be saved again.
    changed = {**BODY, "comment": "Samma orsaker"}
    assert client.put(url(intervention, "2024Q1"), changed, format="json").status_code == 200
    response = client.put(url(intervention, "2024Q2"), BODY, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("exits[1].reason", "retired_reason")
    assert error["message"] == (
        "Avslutsorsaken ”Åter till remittent/anvisande part” har utgått och kan inte användas i nya rapporter."
    )
    assert not PeriodReport.objects.filter(period="2024Q2").exists()
