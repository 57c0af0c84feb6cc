import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from outcomes.models import PeriodReport
from outcomes.organisations.services import api_token_create
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import BODY

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return [(r["intervention"], r["period"]) for r in response.json()["results"]]


@pytest.fixture
def reports(intervention, teammate_intervention):
    for period in ("2023Q4", "2024Q1", "2024Q2"):
        report_save(intervention=intervention, period_code=period, data=report_input(start=(5, 5, 0), new=(2, 1, 0)))
    report_save(intervention=teammate_intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    report_submit(report=PeriodReport.objects.get(intervention=intervention, period="2024Q1"))


def test_staff_list_every_report_of_the_association_newest_first(staff, intervention, teammate_intervention, reports):
    assert listed(client_for(staff), "/api/v1/reports/") == [
        (intervention.pk, "2024Q2"),
        (intervention.pk, "2024Q1"),
        (teammate_intervention.pk, "2024Q1"),
        (intervention.pk, "2023Q4"),
    ]


def test_a_listed_report_carries_status_version_and_derived_figures(staff, intervention, reports):
    first = client_for(staff).get(f"/api/v1/interventions/{intervention.pk}/reports/").json()["results"][-1]
    assert first["period"] == "2023Q4" and first["status"] == "draft" and first["version"] == 1
    assert first["participants"] == {"women": 7, "men": 6, "other": 0, "total": 13}
    assert first["ongoing_at_end"]["total"] == 13


def test_report_lists_filter_by_status_year_period_and_intervention(
    staff, intervention, teammate_intervention, reports
):
    client = client_for(staff)
    assert listed(client, "/api/v1/reports/?status=submitted") == [(intervention.pk, "2024Q1")]
    assert len(listed(client, "/api/v1/reports/?year=2024")) == 3
    assert listed(client, f"/api/v1/reports/?period=2024H1&intervention={teammate_intervention.pk}") == [
        (teammate_intervention.pk, "2024Q1")
    ]
    bad = client.get("/api/v1/reports/?period=2024X9")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"
    assert client.get("/api/v1/reports/?status=lost").status_code == 400


def test_coordinators_list_only_their_granted_interventions_reports(
    coordinator, intervention, teammate_intervention, reports
):
    client = client_for(coordinator)
    assert {i for i, _p in listed(client, "/api/v1/reports/")} == {intervention.pk}
    assert client.get(f"/api/v1/interventions/{teammate_intervention.pk}/reports/").status_code == 404


def test_another_association_sees_none_of_the_reports(outsider, intervention, reports):
    client = client_for(outsider)
    assert listed(client, "/api/v1/reports/") == []
    assert client.get(f"/api/v1/interventions/{intervention.pk}/reports/").status_code == 404


def test_listing_reports_takes_the_same_number_of_queries_for_few_or_many(staff, association):
    client = client_for(staff)
    first = InterventionFactory(association=association)
    report_save(intervention=first, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    client.get("/api/v1/reports/")  # the token's first use writes its last-use time once
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/reports/")
    for _ in range(4):
        other = InterventionFactory(association=association)
        for period in ("2024Q1", "2024Q2"):
            report_save(intervention=other, period_code=period, data=report_input(new=(1, 0, 0)))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/reports/").json()["count"] == 9
    assert len(many) == len(few)


def test_putting_the_same_report_twice_stores_one_version_and_one_history_entry(
    coordinator, intervention, django_capture_on_commit_callbacks
):
    """Issue 5: the second identical PUT changes nothing: the same version, ETag and
    ``updated_at``, no history written by it (the history of the first save is one entry per
    value, all for version 1), and only the first save announced to the result calculations."""
    from outcomes import signals
    from outcomes.tallies.models import ReportHistory

    announced = []

    def receiver(sender, **payload):
        announced.append((payload["action"], payload["period"]))

    signals.report_changed.connect(receiver)
    try:
        client = client_for(coordinator)
        url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
        with django_capture_on_commit_callbacks(execute=True):
            first = client.put(url, BODY, format="json")
        history_after_first = list(ReportHistory.objects.values_list("id", "version"))
        with django_capture_on_commit_callbacks(execute=True):
            second = client.put(url, BODY, format="json")
    finally:
        signals.report_changed.disconnect(receiver)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first["ETag"] == second["ETag"] == '"1"'
    assert first.json()["updated_at"] == second.json()["updated_at"]
    assert PeriodReport.objects.get().version == 1
    assert history_after_first and {version for _id, version in history_after_first} == {1}
    assert list(ReportHistory.objects.values_list("id", "version")) == history_after_first
    assert announced == [("saved", "2024Q1")]


def test_a_viewer_lists_reports_but_cannot_import_for_the_intervention(intervention, reports):
    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    assert len(listed(client_for(viewer), "/api/v1/reports/")) == 4


def test_reports_changed_since_a_time_in_any_utc_offset(staff, reports):
    client = client_for(staff)
    assert len(listed(client, "/api/v1/reports/?updated_since=2000-01-01T00:00:00-17:00")) == 4
    assert listed(client, "/api/v1/reports/?updated_since=2999-01-01T00:00:00%2B01:00") == []
    out_of_range = client.get("/api/v1/reports/?updated_since=0001-01-01T00:00:00%2B05:00")
    assert out_of_range.status_code == 400
    assert out_of_range.json()["errors"][0]["field"] == "updated_since"


@pytest.mark.parametrize("page", ["", "last", "0", "-1", "1.5", "٣"])
def test_a_page_that_is_not_a_whole_number_from_one_is_refused_naming_the_parameter(staff, reports, page):
    response = client_for(staff).get("/api/v1/reports/", {"page": page})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page"
    assert "heltal" in response.json()["errors"][0]["message"]


def test_the_second_page_and_a_page_past_the_end_answer_as_before(staff, reports):
    client = client_for(staff)
    assert client.get("/api/v1/reports/", {"page": "1"}).status_code == 200
    assert client.get("/api/v1/reports/", {"page": "2"}).status_code == 404
