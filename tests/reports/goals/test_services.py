"""Goal computation, stale marking and queueing, without a real broker."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.test import TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError

from finsam.celery import app
from outcomes.models import Budget, PeriodReport
from outcomes.tallies.services import report_approve, report_reopen, report_save, report_submit
from reports import receivers, tasks
from reports.goals import services, storage
from reports.goals.services import GoalInput
from reports.models import GoalResult
from tests.conftest import report_input
from tests.factories import InterventionFactory
from tests.reports.goals.test_selectors import enter, step_goal

pytestmark = pytest.mark.django_db


def results(goal) -> dict[str, GoalResult]:
    return {r.period: r for r in goal.results.all()}


def test_a_report_change_marks_exactly_the_results_of_periods_that_contain_it(intervention):
    goal = step_goal(intervention)
    with mock.patch.object(receivers, "enqueue") as enqueue:
        enter(intervention, "2024Q2", exits={"employment": (1, 0, 0)})
    stale = {period for period, r in results(goal).items() if r.stale}
    assert stale == {"2024H1", "2024YTDQ3", "2024"}
    enqueue.assert_called_with(tasks.goal_results_recompute_for_report, intervention.pk, "2024Q2")


def test_saving_a_draft_queues_nothing_and_an_intervention_without_goals_neither(intervention):
    other = InterventionFactory(association=intervention.association)
    step_goal(intervention)
    with mock.patch.object(receivers, "enqueue") as enqueue:
        enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)}, submit=False)
        enter(other, "2024Q1", exits={"employment": (1, 0, 0)})
    enqueue.assert_not_called()


def test_an_unreachable_broker_is_logged_and_leaves_the_change_saved_and_the_results_stale(intervention, caplog):
    goal = step_goal(intervention)
    with mock.patch.object(
        tasks.goal_results_recompute_for_report, "apply_async", side_effect=OperationalError("no broker")
    ):
        report = enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)})
    assert PeriodReport.objects.get(pk=report.pk).status == "submitted"
    assert results(goal)["2024"].stale
    assert "Could not queue" in caplog.text
    services.goal_results_recompute_all()
    year = results(goal)["2024"]
    assert (year.stale, year.numerator, year.denominator, year.status) == (False, 1, 1, "green")


def test_a_recomputation_that_read_its_data_before_a_later_change_leaves_the_result_stale(intervention):
    goal = step_goal(intervention)
    original = services.selectors.period_inputs

    def change_while_computing(**kwargs):
        # Another change commits after the task read the generations: it marks the results again.
        services.goal_results_mark_stale(results=GoalResult.objects.filter(goal=goal))
        return original(**kwargs)

    with mock.patch.object(services.selectors, "period_inputs", side_effect=change_while_computing):
        services.goal_results_recompute(intervention=intervention)
    assert all(r.stale for r in results(goal).values())
    services.goal_results_recompute(intervention=intervention)
    assert not any(r.stale for r in results(goal).values())


def test_approve_and_reopen_recompute_the_results(intervention, staff):
    goal = step_goal(intervention)
    report = enter(intervention, "2024Q1", exits={"employment": (1, 0, 0), "returned": (0, 1, 0)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_approve(report=report, user=staff)
    assert results(goal)["2024"].numerator == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_reopen(report=report, reason="Fel orsak", user=staff)
    year = results(goal)["2024"]
    assert (year.status, year.stale) == ("no_data", False)


def test_a_changed_submitted_report_is_recomputed(intervention):
    goal = step_goal(intervention)
    enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_save(
            intervention=intervention,
            period_code="2024Q1",
            data=report_input(start=(9, 9, 9), exits={"returned": (1, 0, 0)}),
        )
    assert (results(goal)["2024"].numerator, results(goal)["2024"].status) == (0, "red")


def test_count_and_budget_targets_are_pro_rated_for_the_year_to_date(intervention):
    Budget.objects.create(intervention=intervention, year=2024, budget_sek=400_000)
    with TestCase.captureOnCommitCallbacks(execute=True):
        new_goal = services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Nya", kind="count", measure="new", target=Decimal(40)),
        )
        budget_goal = services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Budget", kind="budget", target=Decimal(90)),
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = report_save(
            intervention=intervention,
            period_code="2024Q1",
            data=report_input(new=(5, 4, 0), spent_sek=95_000),
        ).report
        report_submit(report=report)
    q1 = results(new_goal)["2024YTDQ1"]
    assert (q1.numerator, q1.target, q1.status) == (9, Decimal(10), "yellow")
    assert results(new_goal)["2024"].status == "red"  # 9 of 40 for the whole year so far
    money = results(budget_goal)["2024YTDQ1"]
    assert (money.numerator, money.denominator, money.percent, money.target, money.status) == (
        95_000,
        400_000,
        24,
        Decimal("22.5"),
        "green",
    )


def test_an_at_most_goal_is_yellow_up_to_the_yellow_ratio_above_the_target(intervention):
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal = services.goal_create(
            intervention=intervention,
            data=GoalInput(
                year=2024,
                label="Avbrott",
                kind="share_of_exits",
                comparator="at_most",
                target=Decimal(20),
                reasons=["dropped_out"],
            ),
        )
    enter(intervention, "2024Q1", exits={"dropped_out": (1, 0, 0), "employment": (3, 0, 0)})
    assert results(goal)["2024"].status == "red"  # 25 % > 24 % (20 % + 20 % of it)
    enter(intervention, "2024Q2", exits={"employment": (1, 0, 0)})
    assert results(goal)["2024"].status == "green"  # 1 of 5 = 20 %


def test_the_nightly_task_is_on_the_beat_schedule():
    entry = app.conf.beat_schedule["goal-results-nightly"]
    assert entry["task"] == tasks.goal_results_recompute_all.name
    assert entry["task"] in app.tasks


def test_a_changed_budget_recomputes_the_budget_goal(intervention):
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal = services.goal_create(
            intervention=intervention, data=GoalInput(year=2024, label="Budget", kind="budget", target=Decimal(90))
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(spent_sek=50_000))
        report_submit(report=report.report)
    assert results(goal)["2024"].status == "no_data"  # no budget yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        budget = Budget.objects.create(intervention=intervention, year=2024, budget_sek=100_000)
    year = results(goal)["2024"]
    assert (year.numerator, year.denominator, year.percent, year.status) == (50_000, 100_000, 50, "red")
    with TestCase.captureOnCommitCallbacks(execute=True):
        budget.budget_sek = 55_000
        budget.save()
    assert results(goal)["2024"].status == "green"  # 91 % of the budget spent


def test_the_nightly_task_queues_one_recomputation_per_intervention_with_goals(intervention):
    other = InterventionFactory(association=intervention.association)
    InterventionFactory(association=intervention.association, name="Utan mål")
    step_goal(intervention)
    step_goal(other)
    with mock.patch.object(tasks.goal_results_recompute_goals, "delay") as delay:
        assert tasks.goal_results_recompute_all() == 2
    assert sorted(call.args for call in delay.call_args_list) == sorted([(intervention.pk,), (other.pk,)])


def test_a_result_stored_meanwhile_by_another_recomputation_is_overwritten_not_an_error(intervention):
    goal = step_goal(intervention)
    enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)})
    services.goal_results_recompute(intervention=intervention)
    year = results(goal)["2024"]
    # As if another run had stored its row between this run's read and its insert.
    GoalResult.objects.filter(pk=year.pk).update(numerator=7, denominator=9)
    evaluation = services.selectors.goal_evaluate(
        goal=goal, period=services.Period.parse("2024"), inputs=None, step_rule=None
    )
    assert storage.store(goal, services.Period.parse("2024"), evaluation, None, year.computed_at) == 1
    assert (results(goal)["2024"].numerator, results(goal)["2024"].denominator) == (1, 1)


def retire_moved(intervention):
    from outcomes.models import ExitReason

    ExitReason.objects.filter(association=intervention.association, code="moved").update(active=False)


def share_goal(reasons, excluded):
    return GoalInput(
        year=2024,
        label="Till arbete",
        kind="share_of_exits",
        target=Decimal(20),
        reasons=reasons,
        excluded_reasons=excluded,
    )


def test_a_goal_refuses_a_retired_reason_unless_that_goal_already_has_it(intervention):
    from reports.models import Goal

    retire_moved(intervention)
    with pytest.raises(services.GoalError) as refused:
        services.goal_create(intervention=intervention, data=share_goal(["employment"], ["moved"]))
    [violation] = refused.value.violations
    assert (violation.code, violation.field) == ("retired_reason", "excluded_reasons[0]")
    assert "”Flytt”" in violation.message
    assert not Goal.objects.exists()
    from outcomes.models import ExitReason

    ExitReason.objects.filter(code="moved").update(active=True)
    goal = services.goal_create(intervention=intervention, data=share_goal(["employment"], ["moved"]))
    retire_moved(intervention)
    goal = services.goal_update(goal=goal, data=share_goal(["employment", "studies"], ["moved"]))
    assert sorted(goal.excluded_reasons.values_list("code", flat=True)) == ["moved"]
    with pytest.raises(services.GoalError) as refused:
        services.goal_update(goal=goal, data=share_goal(["employment", "moved"], []))
    assert refused.value.violations[0].code == "retired_reason"


def test_a_step_definition_refuses_a_retired_reason_unless_it_already_has_it(intervention):
    from reports.goals import selectors

    retire_moved(intervention)
    with pytest.raises(services.GoalError) as refused:
        services.step_definition_set(intervention=intervention, reasons=["employment"], excluded_reasons=["moved"])
    assert [(v.code, v.field) for v in refused.value.violations] == [("retired_reason", "excluded_reasons[0]")]
    from outcomes.models import ExitReason

    ExitReason.objects.filter(code="moved").update(active=True)
    services.step_definition_set(intervention=intervention, reasons=["employment"], excluded_reasons=["moved"])
    retire_moved(intervention)
    services.step_definition_set(
        intervention=intervention, reasons=["employment", "studies"], excluded_reasons=["moved"]
    )
    assert selectors.step_definition_of(intervention)["excluded_reasons"] == ["moved"]
    with pytest.raises(services.GoalError):
        services.step_definition_set(intervention=intervention, reasons=["employment", "moved"], excluded_reasons=[])
    assert selectors.step_definition_of(intervention)["reasons"] == ["employment", "studies"]


def test_the_sweep_recomputes_results_whose_recomputation_was_lost_but_not_those_just_marked(intervention, settings):
    settings.GOAL_RESULTS_STALE_AFTER = 30
    goal = step_goal(intervention)
    with mock.patch.object(receivers, "enqueue"):  # the recomputation is lost, as with a killed worker
        enter(intervention, "2024Q1", exits={"employment": (1, 0, 0)})
    assert results(goal)["2024"].stale
    assert tasks.goal_results_recompute_stale() == 0  # just marked: its own recomputation may be on its way
    assert results(goal)["2024"].stale

    GoalResult.objects.filter(goal=goal).update(marked_stale_at=timezone.now() - timedelta(seconds=31))
    assert tasks.goal_results_recompute_stale() == 1
    year = results(goal)["2024"]
    assert (year.stale, year.numerator, year.denominator, year.status) == (False, 1, 1, "green")
    assert tasks.goal_results_recompute_stale() == 0


def test_the_stale_sweep_runs_every_thirty_seconds():
    entry = app.conf.beat_schedule["goal-results-stale-sweep"]
    assert entry["task"] == tasks.goal_results_recompute_stale.name and entry["task"] in app.tasks
    assert entry["schedule"] <= 30
