"""Property-based tests of goal results (hypothesis): shares, no data, idempotence, splitting."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from outcomes.counts import Counts
from outcomes.periods import Period
from outcomes.tallies.services import ReportInput, report_save, report_submit
from reports import shares
from reports.goals import evaluation, kinds, services
from reports.goals.services import GoalInput
from reports.models import GoalResult
from tests.factories import AssociationFactory, InterventionFactory
from tests.reports.goal_data import DIMENSIONS

REASONS = ["employment", "studies", "af_programme", "care", "returned", "dropped_out", "moved"]
counts = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 2))
exits_by_reason = st.dictionaries(st.sampled_from(REASONS), counts, max_size=len(REASONS))
rules = st.builds(
    lambda steps, excluded: shares.StepRule(frozenset(steps), frozenset(excluded)),
    st.sets(st.sampled_from(REASONS)),
    st.sets(st.sampled_from(REASONS)),
)
targets = st.decimals(min_value=0, max_value=100, places=2)
ratios = st.decimals(min_value=0, max_value=1, places=3)
comparators = st.sampled_from([shares.AT_LEAST, shares.AT_MOST])
periods = st.sampled_from(evaluation.evaluated_periods(2024, "quarter") + evaluation.evaluated_periods(2024, "month"))


@given(exits_by_reason, rules, targets, ratios, comparators, periods)
def test_a_share_is_always_between_0_and_100_and_no_data_exactly_without_a_denominator(
    exits, rule, target, ratio, comparator, period
):
    spec = evaluation.GoalSpec(
        kind="share_of_exits", target=target, comparator=comparator, yellow_ratio=ratio, rule=rule
    )
    inputs = evaluation.PeriodInputs(reports=1, exits_by_reason={code: Counts(*c) for code, c in exits.items()})
    result = kinds.evaluate(spec, inputs, period)
    if result.denominator == 0:
        assert result.status == shares.NO_DATA
        assert result.value is None and result.percent is None
    else:
        assert 0 <= result.numerator <= result.denominator
        assert 0 <= result.value <= 100 and 0 <= result.percent <= 100
        assert result.status in (shares.GREEN, shares.YELLOW, shares.RED)


@given(st.sampled_from(["step_progression", "share_of_exits", "indicator", "budget"]), targets, comparators)
def test_a_result_with_a_zero_denominator_is_no_data_for_every_kind_of_share(kind, target, comparator):
    spec = evaluation.GoalSpec(
        kind=kind, target=target, comparator=comparator, rule=shares.StepRule(frozenset(REASONS))
    )
    inputs = evaluation.PeriodInputs(reports=1, exits_by_reason={"moved": Counts(1)}, survey=(0, 0), budget_sek=0)
    excluded = replace(spec, rule=shares.StepRule(frozenset(), frozenset({"moved"})))
    result = kinds.evaluate(
        excluded if kind in ("step_progression", "share_of_exits") else spec, inputs, Period(2024, "Y")
    )
    assert result.status == shares.NO_DATA and result.value is None


def quarter_input(new: Counts, exits: dict[str, Counts], start: Counts | None) -> ReportInput:
    return ReportInput(
        ongoing_at_start=start,
        new=new,
        exits_by_reason=exits,
        breakdowns={d: {"unknown": new} for d in DIMENSIONS},
    )


def split(data, total: int, parts: int = 4) -> list[int]:
    """``total`` cut into ``parts`` non-negative pieces, any way hypothesis likes."""
    cuts = sorted(data.draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


class GoalResultProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        association = AssociationFactory()
        cls.intervention = InterventionFactory(association=association)
        services.step_definition_set(
            intervention=cls.intervention,
            reasons=["employment", "studies", "af_programme"],
            excluded_reasons=["moved"],
        )

    def enter_quarters(self, quarters: list[dict[str, Counts]]):
        """Submit four quarters with the given exits; everyone who leaves was there at the start."""
        everyone = Counts()
        for exits in quarters:
            for c in exits.values():
                everyone = everyone + c
        start = everyone
        for number, exits in enumerate(quarters, start=1):
            data = quarter_input(Counts(), exits, start)
            report = report_save(intervention=self.intervention, period_code=f"2024Q{number}", data=data).report
            report_submit(report=report)
            start = None

    def create_goals(self, target: Decimal, comparator: str):
        for data in (
            GoalInput(year=2024, label="Steg", kind="step_progression", target=target, comparator=comparator),
            GoalInput(
                year=2024,
                label="Till arbete",
                kind="share_of_exits",
                target=target,
                comparator=comparator,
                reasons=["employment"],
                excluded_reasons=["moved", "parental_leave"],
            ),
            GoalInput(year=2024, label="Avslutade", kind="count", target=target, measure="exits"),
        ):
            services.goal_create(intervention=self.intervention, data=data)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), year=exits_by_reason, target=targets, comparator=comparators)
    def test_splitting_a_years_exits_across_quarters_in_any_way_gives_the_same_year_result(
        self, data, year, target, comparator
    ):
        quarters: list[dict[str, Counts]] = [{}, {}, {}, {}]
        for reason, genders in year.items():
            pieces = [split(data, n) for n in genders]
            for q in range(4):
                quarters[q][reason] = Counts(*(pieces[g][q] for g in range(3)))
        self.enter_quarters(quarters)
        self.create_goals(target, comparator)
        services.goal_results_recompute(intervention=self.intervention)

        step = GoalResult.objects.get(goal__kind="step_progression", period="2024")
        totals = {reason: sum(genders) for reason, genders in year.items()}
        expected = shares.share_of_exits(
            totals, shares.StepRule(frozenset({"employment", "studies", "af_programme"}), frozenset({"moved"}))
        )
        assert (step.numerator, step.denominator) == (expected.numerator, expected.denominator)
        assert step.percent == expected.percent
        assert step.status == shares.traffic_light(
            None if expected.fraction is None else expected.fraction * 100, target=target, comparator=comparator
        )
        exits = GoalResult.objects.get(goal__kind="count", period="2024")
        assert exits.numerator == sum(totals.values())

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(q1=exits_by_reason, q2=exits_by_reason, q3=exits_by_reason, target=targets, comparator=comparators)
    def test_recomputing_twice_stores_the_same_results(self, q1, q2, q3, target, comparator):
        quarters = [{r: Counts(*c) for r, c in q.items()} for q in (q1, q2, q3, {})]
        self.enter_quarters(quarters)
        self.create_goals(target, comparator)

        def stored():
            return list(GoalResult.objects.order_by("pk").values())

        services.goal_results_recompute(intervention=self.intervention)
        first = stored()
        assert services.goal_results_recompute(intervention=self.intervention) == 0
        services.goal_results_recompute_all()
        assert stored() == first
        assert not any(row["stale"] for row in first)
