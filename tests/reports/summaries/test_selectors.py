import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create
from outcomes.counts import Counts
from outcomes.organisations.services import api_token_create
from outcomes.periods import Period
from outcomes.tallies.services import report_save, report_submit
from reports.goals.services import GoalInput, goal_create, step_definition_set
from reports.summaries.api import SummaryOutputSerializer
from reports.summaries.selectors import association_summary, intervention_detail
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.reports.summary_data import LEKEBERG_2024, enter, lekeberg, small

pytestmark = pytest.mark.django_db

STEP_GOAL = GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50))


def summary_of(association, code="2024", **kwargs):
    return association_summary(association=association, period=Period.parse(code), **kwargs)


def test_the_lekeberg_year_shows_participants_steps_and_money_as_published(association):
    intervention = lekeberg(association)
    summary = summary_of(association)
    row = summary.rows[0]
    assert row.intervention == intervention
    assert row.current.participants == Counts(14, 13, 0)
    assert row.current.ongoing_at_end == Counts(9, 7, 0)
    assert row.current.exits.total == 11
    assert str(row.current.step_progression) == "45 % (5/11)"
    assert row.current.cost_per_participant_sek == 87282  # 2 356 616 kr / 27
    assert row.current.share_spent.percent == 98
    assert row.previous.participants == Counts(7, 6, 1)  # "jmf 2023"
    assert row.missing_reports == 0


def test_totals_add_up_the_interventions_and_the_stock_rule_holds_for_half_years(association):
    lekeberg(association)
    small(association)
    summary = summary_of(association, "2024H1")
    totals = summary.totals
    assert totals.participants == sum((r.current.participants for r in summary.rows), Counts())
    small_row = next(r for r in summary.rows if r.intervention.name == "Unga vuxna")
    # ongoing at start is the first quarter's, new and exits are summed over Q1 and Q2
    assert small_row.current.participants == Counts(9 + 6 + 5, 12 + 7 + 8, 2 + 1)
    assert small_row.current.exits == Counts(3 + 2 + 4 + 1, 5 + 6, 1)
    # Unga vuxna has no budget: the share spent is Lekeberg's spending of Lekeberg's budget
    assert totals.spent_sek == 2 * 589154 + 300000
    assert totals.share_spent.numerator == 2 * 589154
    assert totals.step_progression.numerator == 2 + 8  # Lekeberg: work and studies; Unga vuxna: work


def test_drafts_are_left_out_and_counted_as_missing_unless_asked_for(association):
    intervention = InterventionFactory(association=association)
    enter(intervention, LEKEBERG_2024, submit=False)
    without = summary_of(association)
    assert without.rows[0].current.participants.total == 0
    assert without.missing_reports == 4
    with_drafts = summary_of(association, include_drafts=True)
    assert with_drafts.rows[0].current.participants.total == 27
    assert with_drafts.missing_reports == 0


def test_an_intervention_that_reports_by_quarter_is_listed_apart_for_a_tertial(association):
    lekeberg(association)
    monthly = InterventionFactory(association=association, frequency="month", name="Månadsinsats")
    summary = summary_of(association, "2024T1")
    assert [r.intervention for r in summary.rows] == [monthly]
    assert summary.not_aligned[0][0].name == "Coachingteamet Lekeberg"
    assert "hela kvartal" in summary.not_aligned[0][1]


def _with_measures(intervention, period, training):
    """A report of ``period`` with a flow measure (advisory calls) and a stock one (work training)."""
    data = report_input(**LEKEBERG_2024["2024Q1"])
    data.measures = {"advisory_calls": {"total": 5}, "work_training": {"women": training, "men": 1}}
    report_submit(report=report_save(intervention=intervention, period_code=period, data=data).report)


@pytest.mark.parametrize("count", [2, 20])
def test_the_number_of_queries_does_not_grow_with_the_interventions(
    association, count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for n in range(count):
        intervention = InterventionFactory(
            association=association, name=f"Insats {n:02d}", places=20, frequency="month"
        )
        for period, training in (("2024M01", 2), ("2024M02", 4), ("2023M01", 3)):
            _with_measures(intervention, period, training)
        with django_capture_on_commit_callbacks(execute=True):
            goal_create(intervention=intervention, data=STEP_GOAL)
            if n % 2:  # half of them with their own step definition, half with the default
                step_definition_set(intervention=intervention, reasons=["employment"], excluded_reasons=[])
        structural = InterventionFactory(association=association, name=f"Struktur {n:02d}", kind="structural")
        for day, attendees in (("2024-01-10", 10), ("2024-02-20", 220), ("2023-02-01", 7)):
            activity_create(
                intervention=structural,
                data=ActivityInput(
                    date=dt.date.fromisoformat(day), title="Nätverksträff", kind="network", attendees=attendees
                ),
            )
    # The first read computes every row (step rules four queries, six per period) and stores
    # them (one statement in a savepoint); later reads take the stored rows (one query).
    with django_assert_num_queries(25):
        summary = summary_of(association, "2024Q1")
        body = SummaryOutputSerializer.of(summary).data
    with django_assert_num_queries(7):
        again = SummaryOutputSerializer.of(summary_of(association, "2024Q1")).data
    assert again == body
    assert len(body["interventions"]) == 2 * count
    # January's start (11) and two months of new (4 + 4); a year earlier January alone (11 + 4).
    assert body["totals"]["participants"]["total"] == 19 * count
    assert body["totals"]["previous_year"]["participants"]["total"] == 15 * count
    assert all(len(item["goals"]) == 1 for item in body["interventions"] if item["kind"] == "individual")
    totals = {row["measure"]: row["total"] for row in body["totals"]["measures"]}
    # Two months of advisory calls summed; work training is February's stock (4 women, 1 man).
    assert totals == {"advisory_calls": 10 * count, "work_training": 5 * count}
    assert body["totals"]["activities"]["attendees"] == 230 * count
    assert body["totals"]["previous_year"]["activities"]["attendees"] == 7 * count
    structural_row = next(item for item in body["interventions"] if item["kind"] == "structural")
    assert structural_row["activity_log"] == "Nätverksträff (10), Nätverksträff (220)"
    assert "participants" not in structural_row


def api_client(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_api_answers_the_same_numbers_as_the_selector(association, staff):
    intervention = lekeberg(association)
    response = api_client(staff).get(f"/api/v1/associations/{association.pk}/summary/?period=2024")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2024"
    assert body["missing_reports"] == 0
    item = body["interventions"][0]
    assert item["id"] == intervention.pk
    assert item["participants"] == {"women": 14, "men": 13, "other": 0, "total": 27}
    assert item["ongoing_at_start"]["total"] == 11
    assert item["step_progression"] == {"numerator": 5, "denominator": 11, "value": 45.5, "percent": 45}
    assert {"reason": "returned", "women": 3, "men": 3, "other": 0, "total": 6} in item["exits_by_reason"]
    assert item["budget_sek"] == 2403500
    assert item["spent_sek"] == 2356616
    assert item["cost_per_participant_sek"] == 87282
    assert item["previous_year"]["period"] == "2023"
    assert item["previous_year"]["participants"]["total"] == 14
    assert body["totals"]["exits"]["total"] == 11


def test_a_viewer_reads_the_summary_but_a_coordinator_and_an_outsider_get_404(association, coordinator, outsider):
    viewer = MembershipFactory(association=association, role="viewer").user
    url = f"/api/v1/associations/{association.pk}/summary/?period=2024"
    assert api_client(viewer).get(url).status_code == 200
    assert api_client(coordinator).get(url).status_code == 404
    assert api_client(outsider).get(url).status_code == 404


def test_a_bad_period_is_refused_naming_the_field(association, staff):
    response = api_client(staff).get(f"/api/v1/associations/{association.pk}/summary/?period=2024Q5")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "period"
    assert "2024Q5" in error["message"]


def test_the_detail_shows_a_retired_reason_or_dimension_only_in_a_period_that_counts_it(association):
    intervention = small(association)  # 2024: exits to care and moved in H1, no uvas "yes"
    association.exit_reasons.filter(code__in=["care", "studies"]).update(active=False)
    association.dimensions.filter(code="uvas").update(active=False)
    association.dimensions.filter(code="referrer").update(active=False)
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    reasons = [row.code for row in detail.exits.rows]
    assert "care" in reasons and "studies" not in reasons and "employment" in reasons
    dimensions = {table.code for table in detail.dimensions}
    assert {"uvas", "referrer", "age_band"} <= dimensions  # counted ("unknown") in 2024
    later = intervention_detail(intervention=intervention, period=Period.parse("2025"))
    assert "care" not in [row.code for row in later.exits.rows]
    assert not {"uvas", "referrer"} & {table.code for table in later.dimensions}
