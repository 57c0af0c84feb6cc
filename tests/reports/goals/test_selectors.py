"""Step rules and stored goal results as the summary page reads them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from outcomes.tallies.services import report_save, report_submit
from reports import shares
from reports.goals import selectors, services
from reports.goals.api import GoalResultOutputSerializer
from reports.goals.services import GoalInput
from reports.models import GoalResult
from tests.conftest import report_input
from tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db

LEKEBERG_STEPS = ["employment", "studies", "af_programme", "other_self_support", "joint_assessment", "municipal_labour"]


def enter(intervention, period, *, exits, new=(0, 0, 0), start=(9, 9, 9), submit=True):
    """Save (and submit) one base-period report, running what waits for the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = report_save(
            intervention=intervention, period_code=period, data=report_input(start=start, new=new, exits=exits)
        ).report
    if submit:
        with TestCase.captureOnCommitCallbacks(execute=True):
            report_submit(report=report)
    return report


def step_goal(intervention, *, year=2024, target=50, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.goal_create(
            intervention=intervention,
            data=GoalInput(
                year=year, label="Stegförflyttning", kind="step_progression", target=Decimal(target), **extra
            ),
        )


def test_an_intervention_without_a_step_definition_gets_the_default_classes(intervention):
    rule = selectors.step_rules_for([intervention])[intervention.pk]
    assert "employment" in rule.steps and "af_programme" in rule.steps
    assert "returned" not in rule.steps and "care" not in rule.steps
    assert rule.excluded == frozenset()


def test_a_stored_step_definition_replaces_the_default(intervention):
    services.step_definition_set(intervention=intervention, reasons=["employment", "care"], excluded_reasons=["moved"])
    rule = selectors.step_rules_for([intervention.pk])[intervention.pk]
    assert rule == shares.StepRule(steps=frozenset({"employment", "care"}), excluded=frozenset({"moved"}))


def test_step_rules_take_the_same_number_of_queries_for_three_or_thirty_interventions(association):
    def queries_for(n):
        interventions = InterventionFactory.create_batch(n, association=association)
        for intervention in interventions[::2]:
            services.step_definition_set(intervention=intervention, reasons=["employment"], excluded_reasons=[])
        with CaptureQueriesContext(connection) as queries:
            rules = selectors.step_rules_for(interventions)
        assert len(rules) == n
        return len(queries)

    assert queries_for(3) == queries_for(30) <= 3


def test_goal_results_for_answers_api_shaped_results_in_one_query(association):
    interventions = InterventionFactory.create_batch(5, association=association)
    for intervention in interventions:
        step_goal(intervention)
        enter(intervention, "2024Q1", exits={"employment": (1, 0, 0), "returned": (1, 1, 0)})
    with CaptureQueriesContext(connection) as queries:
        results = selectors.goal_results_for(intervention_ids=[i.pk for i in interventions], period_code="2024")
    assert len(queries) == 1
    first = results[interventions[0].pk]
    assert len(first) == 1
    assert first[0].period == "2024"
    assert (first[0].numerator, first[0].denominator, first[0].percent) == (1, 3, 33)
    assert first[0].status == "red"
    assert first[0].stale is False
    assert set(GoalResultOutputSerializer(first[0]).data) >= {
        "goal",
        "label",
        "period",
        "numerator",
        "denominator",
        "value",
        "percent",
        "target",
        "comparator",
        "status",
        "computed_at",
        "stale",
    }


def test_a_period_with_the_same_months_finds_the_stored_result(intervention):
    step_goal(intervention)
    enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)})
    enter(intervention, "2024Q2", exits={"returned": (1, 0, 0)})
    ytd_q2 = selectors.goal_results_for(intervention_ids=[intervention.pk], period_code="2024YTDQ2")[intervention.pk]
    q1 = selectors.goal_results_for(intervention_ids=[intervention.pk], period_code="2024Q1")[intervention.pk]
    assert (ytd_q2[0].period, ytd_q2[0].numerator, ytd_q2[0].denominator) == ("2024YTDQ2", 1, 2)
    assert (q1[0].numerator, q1[0].denominator, q1[0].status) == (1, 1, "green")


def test_an_intervention_without_goals_or_a_period_not_evaluated_answers_an_empty_list(intervention):
    other = InterventionFactory(association=intervention.association)
    step_goal(intervention)
    assert selectors.goal_results_for(intervention_ids=[other.pk], period_code="2024") == {other.pk: []}
    assert selectors.goal_results_for(intervention_ids=[intervention.pk], period_code="2024Q3") == {intervention.pk: []}


def test_a_new_goal_without_reports_has_results_without_data(intervention):
    goal = step_goal(intervention)
    assert {r.period for r in goal.results.all()} == {"2024YTDQ1", "2024H1", "2024YTDQ3", "2024H2", "2024"}
    assert set(GoalResult.objects.values_list("status", "stale").distinct()) == {("no_data", False)}


def test_a_monthly_intervention_gets_each_months_year_to_date_and_quarter_codes_find_them(association):
    monthly = InterventionFactory(association=association, frequency="month")
    goal = step_goal(monthly)
    assert goal.results.count() == 13  # YTD M01–M05, H1, YTD M07–M11, H2 and the year
    enter(monthly, "2024M02", exits={"employment": (1, 0, 0)})
    enter(monthly, "2024M08", exits={"returned": (1, 0, 0)})
    through_q3 = selectors.goal_results_for(intervention_ids=[monthly.pk], period_code="2024YTDQ3")[monthly.pk]
    assert (through_q3[0].numerator, through_q3[0].denominator) == (1, 2)
    january = selectors.goal_results_for(intervention_ids=[monthly.pk], period_code="2024M01")[monthly.pk]
    assert january[0].status == "no_data"
