"""The recomputation reads an intervention in a fixed number of queries and writes in bulk,
with the same results as evaluating every goal and period on its own from the database."""

import random
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.seed_national import seed_association
from outcomes.models import Budget, Intervention, PeriodReport
from outcomes.periods import Period
from outcomes.surveys.selectors import survey_figure
from outcomes.tallies.selectors import period_figures
from reports.goals import evaluation as goal_math
from reports.goals import kinds, selectors, services, storage
from reports.goals.services import GoalInput
from reports.models import Goal, GoalKind, GoalResult

pytestmark = pytest.mark.django_db

YEARS = [2021, 2022, 2023, 2024]


def seeded(interventions: int = 2, years=YEARS) -> list[Intervention]:
    """Interventions of the national seed: ten years of reports shortened to ``years``, exits by
    every reason, budgets, yearly surveys and one goal of every kind per year."""
    seed_association(0, interventions=interventions, years=list(years), rng=random.Random(8))
    return list(Intervention.objects.order_by("pk"))


def queries_of(intervention: Intervention, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.goal_results_recompute(intervention=intervention, **kwargs)
    return len(captured.captured_queries)


def copy_goals(intervention: Intervention, times: int) -> None:
    """``times`` more goals like each of the intervention's, through the goal service."""
    for goal in list(selectors.goals_of(intervention)):
        for copy in range(times):
            data = replace(GoalInput.from_goal(goal), label=f"{goal.label} {copy}", position=goal.position + copy + 1)
            services.goal_create(intervention=intervention, data=data)


def old_evaluation(goal: Goal, period: Period, step_rule) -> goal_math.Evaluation:
    """The goal's result computed the way the recomputation did before it read in bulk: the
    database's stock-and-flow sums, report count, budget and survey figure of this one period."""
    intervention = goal.intervention
    figures = period_figures(intervention=intervention, period=period)
    reports = PeriodReport.objects.filter(intervention=intervention).counted().within(period).count()
    budget = Budget.objects.filter(intervention=intervention, year=period.year).first()
    inputs = goal_math.PeriodInputs(
        reports=reports,
        exits_by_reason=figures.exits_by_reason,
        participants=figures.participants.total,
        new=figures.new.total,
        exits=figures.exits.total,
        spent_sek=figures.spent_sek,
        budget_sek=budget.budget_sek if budget else None,
        measures=figures.measures,
    )
    if goal.kind == GoalKind.INDICATOR:
        inputs = replace(
            inputs,
            survey=survey_figure(
                intervention=intervention,
                period=period,
                figure=goal.figure,
                group=goal.group or goal.question.group,
                question_code=goal.question.code if goal.question_id else None,
                indicator_number=None if goal.question_id else goal.indicator_number,
            ),
        )
    return kinds.evaluate(selectors.goal_spec(goal, step_rule=step_rule), inputs, period)


def test_recomputing_four_years_of_goals_takes_as_many_queries_as_one_year():
    one_year, four_years = seeded()
    Goal.objects.filter(intervention=one_year).exclude(year=2024).delete()
    assert Goal.objects.filter(intervention=four_years).values("year").distinct().count() == 4

    first = (queries_of(one_year), queries_of(four_years))
    repair = (queries_of(one_year), queries_of(four_years))
    assert first[0] == first[1]
    assert repair[0] == repair[1]
    assert GoalResult.objects.filter(goal__intervention=four_years).count() == 4 * 6 * 5


def test_recomputing_five_goals_of_every_kind_takes_as_many_queries_as_one_of_every_kind():
    one_each, five_each = seeded(years=[2024])
    copy_goals(five_each, times=4)
    assert Goal.objects.filter(intervention=five_each).count() == 5 * len(GoalKind.values)
    first = (queries_of(one_each), queries_of(five_each))  # inserts for the one, some updates for the other
    assert first[0] <= first[1] <= first[0] + 1
    services.goal_results_mark_stale(results=GoalResult.objects.all())

    stale = (queries_of(one_each), queries_of(five_each))
    repair = (queries_of(one_each), queries_of(five_each))
    assert stale[0] == stale[1]
    assert repair[0] == repair[1]
    assert not GoalResult.objects.filter(stale=True).exists()


def test_a_changed_report_recomputes_its_year_in_as_many_queries_however_many_years_have_goals():
    one_year, four_years = seeded()
    Goal.objects.filter(intervention=one_year).exclude(year=2024).delete()
    q2 = Period.parse("2024Q2")
    assert queries_of(one_year, base_period=q2) == queries_of(four_years, base_period=q2)
    # Only the 2024 results that contain Q2 were computed: H1, year-to-date Q3 and the year.
    computed = GoalResult.objects.filter(goal__intervention=four_years, stale=False)
    assert sorted(set(computed.values_list("period", flat=True))) == ["2024", "2024H1", "2024YTDQ3"]


def test_the_stored_results_equal_each_goal_and_period_computed_on_its_own_from_the_database():
    interventions = seeded()
    for intervention in interventions:
        services.goal_results_recompute(intervention=intervention)
    step_rules = selectors.step_rules_for(interventions)
    compared = 0
    for result in GoalResult.objects.select_related("goal__intervention", "goal__question"):
        goal = result.goal
        period = Period.parse(result.period)
        expected = old_evaluation(goal, period, step_rules[goal.intervention_id])
        stored = tuple(getattr(result, name) for name in ("numerator", "denominator", "percent", "status"))
        assert stored == (expected.numerator, expected.denominator, expected.percent, expected.status), result
        assert result.target == expected.target
        assert (result.value is None) == (expected.value is None)
        if expected.value is not None:
            assert result.value == expected.value.quantize(result.value)
        # The goal page's own evaluation of one period reads the same.
        assert selectors.goal_evaluate(goal=goal, period=period).status == result.status
        compared += 1
    assert compared == 2 * 4 * 6 * 5
    kinds = set(GoalResult.objects.exclude(status="no_data").values_list("goal__kind", flat=True))
    assert kinds == set(GoalKind.values), "every kind of goal got a result from the seeded data"


def test_a_result_inserted_by_another_recomputation_meanwhile_is_overwritten_in_bulk():
    (intervention,) = seeded(interventions=1, years=[2024])
    services.goal_results_recompute(intervention=intervention)
    rows = list(GoalResult.objects.filter(goal__intervention=intervention).select_related("goal"))
    GoalResult.objects.filter(pk__in=[r.pk for r in rows]).update(numerator=99, status="red")
    computed = []
    for row in rows:
        row.goal.intervention = intervention
        period = Period.parse(row.period)
        computed.append((row.goal, period, selectors.goal_evaluate(goal=row.goal, period=period)))
    # As if this run had read no results before another run stored every one of them.
    assert storage.store_many(computed, {}, timezone.now()) == len(rows)
    again = {r.pk: r for r in GoalResult.objects.filter(goal__intervention=intervention)}
    assert len(again) == len(rows)
    for row in rows:
        assert (again[row.pk].numerator, again[row.pk].status) == (row.numerator, row.status)


def test_a_result_marked_stale_after_the_bulk_run_read_it_stays_stale_while_its_figures_are_stored():
    (intervention,) = seeded(interventions=1, years=[2024])
    services.goal_results_recompute(intervention=intervention)
    results = GoalResult.objects.filter(goal__intervention=intervention)
    services.goal_results_mark_stale(results=results)
    existing = {(r.goal_id, r.period): r for r in results.all()}
    year = next(r for r in existing.values() if r.period == "2024")
    GoalResult.objects.filter(pk=year.pk).update(numerator=None)
    computed = []
    for (goal_id, code), _row in existing.items():
        goal = Goal.objects.get(pk=goal_id)
        computed.append((goal, Period.parse(code), selectors.goal_evaluate(goal=goal, period=Period.parse(code))))
    # Another change marks the year's result again after the run read the generations.
    services.goal_results_mark_stale(results=results.filter(pk=year.pk))
    assert storage.store_many(computed, existing, timezone.now()) == len(existing)
    after = {r.pk: r for r in results.all()}
    assert after[year.pk].stale and after[year.pk].numerator == year.numerator
    assert not any(r.stale for pk, r in after.items() if pk != year.pk)
