"""The aggregation of counted measures over longer periods: a flow is summed, a stock is the
latest reported value, a measure nobody reported is blank (pure, and the same in SQL)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.counts import Counts
from outcomes.measures import FLOW, STOCK, ActivityFigures, MeasureValue, aggregate_measure, combine_measures
from outcomes.periods import Period
from outcomes.tallies.selectors import period_figures
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory

counts = st.builds(Counts, st.integers(0, 50), st.integers(0, 50), st.integers(0, 5))
gender_value = st.builds(lambda c: MeasureValue(counts=c), counts)
maybe_values = st.lists(st.none() | gender_value, min_size=0, max_size=12)


def test_a_stock_measure_over_a_year_is_the_last_quarters_value_and_a_flow_the_sum():
    quarters = [
        MeasureValue(counts=Counts(4, 2, 0)),
        MeasureValue(counts=Counts(6, 3, 1)),
        MeasureValue(counts=Counts(5, 5, 0)),
        MeasureValue(counts=Counts(7, 1, 0)),
    ]
    assert aggregate_measure(quarters, STOCK) == MeasureValue(counts=Counts(7, 1, 0))
    assert aggregate_measure(quarters, FLOW) == MeasureValue(counts=Counts(22, 11, 1))
    calls = [MeasureValue(only_total=n) for n in (20, 25, 22, 20)]
    assert aggregate_measure(calls, FLOW).as_dict() == {"women": None, "men": None, "other": None, "total": 87}


def test_a_measure_no_period_reported_is_blank_not_zero():
    assert aggregate_measure([None, None], FLOW) is None
    assert combine_measures([{}, {}], {"advisory_calls": FLOW}) == {}
    assert aggregate_measure([MeasureValue(only_total=0), None], FLOW) == MeasureValue(only_total=0)


def test_cost_per_attendee_is_whole_kronor_rounded_half_up():
    assert ActivityFigures(attendees=200).cost_per_attendee_sek(25310) == 127  # 126.55
    assert ActivityFigures(attendees=100).cost_per_attendee_sek(250) == 3  # 2.5
    assert ActivityFigures(attendees=0).cost_per_attendee_sek(100) is None


@given(maybe_values)
def test_a_flow_is_the_sum_of_what_was_reported(values):
    reported = [v for v in values if v is not None]
    result = aggregate_measure(values, FLOW)
    if not reported:
        assert result is None
    else:
        assert result.counts == sum((v.counts for v in reported), Counts())


@given(maybe_values)
def test_a_stock_is_the_latest_reported_value(values):
    reported = [v for v in values if v is not None]
    assert aggregate_measure(values, STOCK) == (reported[-1] if reported else None)


@given(maybe_values, st.integers(0, 12), st.sampled_from([FLOW, STOCK]))
def test_a_period_split_in_two_aggregates_like_its_halves_combined(values, cut, aggregation):
    first, second = values[:cut], values[cut:]
    whole = aggregate_measure(values, aggregation)
    halves = [aggregate_measure(first, aggregation), aggregate_measure(second, aggregation)]
    assert whole == aggregate_measure(halves, aggregation)


QUARTER_CODES = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
SPANS = ["2024", "2024H1", "2024H2", "2024YTDQ3", *QUARTER_CODES]


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.none() | st.integers(0, 40), min_size=4, max_size=4),
    st.lists(st.none() | counts, min_size=4, max_size=4),
)
def test_the_database_aggregates_every_period_as_the_pure_rule_does(association, calls, training):
    intervention = InterventionFactory(association=association)  # a fresh one per example
    stored = []
    for code, call, train in zip(QUARTER_CODES, calls, training, strict=True):
        data = report_input()
        if call is not None:
            data.measures["advisory_calls"] = {"total": call}
        if train is not None:
            data.measures["work_training"] = train.as_dict()
        report_submit(report=report_save(intervention=intervention, period_code=code, data=data).report)
        values = {}
        if call is not None:
            values["advisory_calls"] = MeasureValue(only_total=call)
        if train is not None:
            values["work_training"] = MeasureValue(counts=train)
        stored.append(values)
    rules = {"advisory_calls": FLOW, "work_training": STOCK}
    for span in SPANS:
        period = Period.parse(span)
        inside = [v for code, v in zip(QUARTER_CODES, stored, strict=True) if period.contains(Period.parse(code))]
        assert period_figures(intervention=intervention, period=period).measures == combine_measures(inside, rules)
