import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes.periods import MONTH, QUARTER, Period, PeriodError, base_period, parse_span, period_name

years = st.integers(min_value=1990, max_value=2100)
periods = st.one_of(
    years.map(lambda y: Period(y, "Y")),
    st.builds(Period, years, st.just("H"), st.integers(1, 2)),
    st.builds(Period, years, st.just("T"), st.integers(1, 3)),
    st.builds(Period, years, st.just("Q"), st.integers(1, 4)),
    st.builds(Period, years, st.just("M"), st.integers(1, 12)),
    st.builds(Period, years, st.just("YTDQ"), st.integers(1, 4)),
    st.builds(Period, years, st.just("YTDM"), st.integers(1, 12)),
)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024H2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2024T2", dt.date(2024, 5, 1), dt.date(2024, 8, 31)),
        ("2024Q3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        ("2024M02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2024YTDQ3", dt.date(2024, 1, 1), dt.date(2024, 9, 30)),
        ("2024YTDM08", dt.date(2024, 1, 1), dt.date(2024, 8, 31)),
    ],
)
def test_each_code_names_the_months_it_covers(code, start, end):
    period = Period.parse(code)
    assert (period.start, period.end, period.code) == (start, end, code)


@pytest.mark.parametrize("code", ["", "24Q1", "2024Q5", "2024M13", "2024M00", "2024H3", "2024T4", "2024X1", "Q1 2024"])
def test_it_refuses_codes_that_name_no_period_with_a_swedish_message(code):
    with pytest.raises(PeriodError) as error:
        Period.parse(code)
    assert "Ogiltig period" in error.value.message


def test_a_tertial_of_a_quarterly_intervention_is_refused_as_not_aligned():
    with pytest.raises(PeriodError) as error:
        Period.parse("2024T1").base_periods(QUARTER)
    assert error.value.code == "period_not_aligned"
    assert "hela kvartal" in error.value.message


def test_year_to_date_through_august_is_refused_for_quarters_but_fine_for_months():
    with pytest.raises(PeriodError):
        Period.parse("2024YTDM08").base_periods(QUARTER)
    assert [p.code for p in Period.parse("2024YTDM08").base_periods(MONTH)][-1] == "2024M08"
    assert [p.code for p in Period.parse("2024YTDM09").base_periods(QUARTER)] == ["2024Q1", "2024Q2", "2024Q3"]


def test_previous_base_period_crosses_the_turn_of_the_year():
    assert Period.parse("2024Q1").previous().code == "2023Q4"
    assert Period.parse("2024M01").previous().code == "2023M12"
    assert Period.parse("2024Q3").previous().code == "2024Q2"


def test_same_period_last_year():
    assert Period.parse("2024YTDQ3").same_period_last_year().code == "2023YTDQ3"
    assert Period.parse("2024H2").same_period_last_year().code == "2023H2"


def test_a_report_period_must_be_a_base_period_of_the_intervention():
    assert base_period("2024Q2", QUARTER).code == "2024Q2"
    with pytest.raises(PeriodError) as error:
        base_period("2024", QUARTER)
    assert error.value.code == "not_base_period"
    with pytest.raises(PeriodError):
        base_period("2024Q2", MONTH)


@given(periods)
def test_every_period_round_trips_through_its_code(period):
    assert Period.parse(period.code) == period
    assert Period.parse(period.code.lower()) == period


@given(periods, st.sampled_from([QUARTER, MONTH]))
def test_base_periods_tile_the_period_without_gaps_or_overlaps(period, frequency):
    try:
        bases = period.base_periods(frequency)
    except PeriodError:
        assert frequency == QUARTER and (period.first_month - 1) % 3 + period.last_month % 3 > 0
        return
    assert bases[0].start == period.start
    assert bases[-1].end == period.end
    for before, after in zip(bases, bases[1:], strict=False):
        assert before.end + dt.timedelta(days=1) == after.start
        assert after.previous() == before
    assert all(base.is_base_for(frequency) for base in bases)


@given(years, st.sampled_from([QUARTER, MONTH]))
def test_the_base_periods_of_a_year_partition_it_exactly(year, frequency):
    bases = Period(year, "Y").base_periods(frequency)
    days = sum((b.end - b.start).days + 1 for b in bases)
    assert days == (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    assert len(bases) == (4 if frequency == QUARTER else 12)
    for day_offset in range(0, days, 17):
        day = dt.date(year, 1, 1) + dt.timedelta(days=day_offset)
        containing = [b for b in bases if b.start <= day <= b.end]
        assert containing == [Period.for_date(day, frequency)]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2024", "helåret 2024"),
        ("2024H1", "första halvåret 2024"),
        ("2024H2", "andra halvåret 2024"),
        ("2024T2", "maj–augusti 2024"),
        ("2024Q3", "kvartal 3 2024"),
        ("2024M05", "maj 2024"),
        ("2026YTDQ3", "januari–september 2026"),
        ("2026YTDM08", "januari–augusti 2026"),
        ("2014Q3..2024Q2", "2014-07-01 – 2024-06-30"),
    ],
)
def test_every_period_has_its_swedish_name(code, name):
    assert period_name(parse_span(code)) == name


def test_a_range_covers_every_base_period_from_its_first_through_its_last():
    span = parse_span("2014Q3..2024Q2")
    bases = span.base_periods("quarter")
    assert (len(bases), bases[0].code, bases[-1].code) == (40, "2014Q3", "2024Q2")
    assert len(parse_span("2023M03..2024M02").base_periods("month")) == 12
    assert span.same_period_last_year().code == "2013Q3..2023Q2"
    with pytest.raises(PeriodError, match="slutar innan det börjar"):
        parse_span("2024Q2..2014Q3")
    with pytest.raises(PeriodError, match="samma slag"):
        parse_span("2014Q3..2024")
    with pytest.raises(PeriodError):
        parse_span("2023M03..2024M02").base_periods("quarter")  # months do not make whole quarters
