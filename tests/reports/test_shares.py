import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

from django.utils import numberformat
from hypothesis import given
from hypothesis import strategies as st

from outcomes.counts import Counts
from outcomes.periods import Period
from outcomes.surveys.rules import Distribution, light
from reports import shares
from reports.goals.evaluation import pro_rated
from reports.shares import (
    AT_MOST,
    GREEN,
    NO_DATA,
    RED,
    YELLOW,
    Share,
    StepRule,
    default_step_rule,
    share_of_exits,
    traffic_light,
)
from reports.summaries.figures import Figures

CATALOG = Path(__file__).resolve().parents[2] / "outcomes" / "catalog" / "exit_reasons.json"


def default_exit_reasons():
    return [SimpleNamespace(**entry) for entry in json.loads(CATALOG.read_text("utf-8"))["exit_reasons"]]


def test_the_lekeberg_example_is_45_percent_and_yellow_against_a_50_percent_goal():
    exits = {"employment": 1, "studies": 1, "job_seeking": 2, "other_self_support": 1, "returned": 6}
    share = share_of_exits(exits, default_step_rule(default_exit_reasons()))
    assert (share.numerator, share.denominator, share.percent, str(share)) == (5, 11, 45, "45 % (5/11)")
    assert traffic_light(share.fraction * 100, target=50) == YELLOW


def test_excluded_reasons_leave_the_denominator_and_never_count_as_steps():
    rule = StepRule(steps=frozenset({"employment", "moved"}), excluded=frozenset({"moved"}))
    assert share_of_exits({"employment": 2, "moved": 3, "dropped_out": 2}, rule) == Share(2, 4)


def test_a_share_without_exits_has_no_value_and_no_light():
    share = share_of_exits({}, StepRule(steps=frozenset({"employment"})))
    assert (share.value, share.percent, str(share)) == (None, None, "–")
    assert traffic_light(share.fraction, target=50) == NO_DATA


def test_rounding_is_half_up_on_the_exact_fraction():
    assert Share(26, 57).percent == 46 and Share(26, 57).value == Decimal("45.6")
    assert Share(1, 8).percent == 13  # 12.5 rounds up


def test_lights_compare_exact_values_and_honour_the_yellow_ratio_and_at_most():
    assert traffic_light(Fraction(4999, 100), target=50) == YELLOW
    assert traffic_light(50, target=50) == GREEN
    assert traffic_light(40, target=50) == YELLOW and traffic_light(Fraction(3999, 100), target=50) == RED
    assert traffic_light(40, target=50, yellow_ratio=0.9) == RED
    assert traffic_light(12, target=10, comparator=AT_MOST) == YELLOW
    assert traffic_light(13, target=10, comparator=AT_MOST) == RED
    assert traffic_light(10, target=10, comparator=AT_MOST) == GREEN


def test_a_share_shows_decimals_where_the_whole_percent_would_contradict_the_light():
    """Defect 5: 100,09 % of the budget against "högst 100 %" is not green; "100 %" would say it is."""
    over = shares.Share(1_000_900, 1_000_000)
    assert shares.traffic_light(over.fraction * 100, target=100, comparator=shares.AT_MOST) != shares.GREEN
    assert shares.share_text_for_goal(over, target=100, comparator=shares.AT_MOST) == (
        "100,1 % (1\u00a0000\u00a0900/1\u00a0000\u00a0000)"
    )
    # 49,6 % against "minst 50 %" would read "50 %" beside a yellow light
    assert shares.share_text_for_goal(shares.Share(496, 1000), target=50).startswith("49,6 % ")
    # where the whole percent agrees with the light it stays whole
    assert shares.share_text_for_goal(shares.Share(5, 11), target=50) == "45 % (5/11)"
    assert shares.share_text_for_goal(shares.Share(1_000_400, 1_000_000), target=100, comparator="at_most") == (
        "100,04 % (1\u00a0000\u00a0400/1\u00a0000\u00a0000)"
    )


def test_every_rounded_figure_rounds_half_up_like_the_percent():
    assert Share(1, 8).value == Decimal("12.5") and Share(1, 16).value == Decimal("6.3")  # 6.25
    assert Distribution(scale="frequency6", counts=(0, 0, 0, 7, 1, 0)).mean == Decimal("4.13")  # 33/8 = 4.125
    assert light(60, Decimal("59.5")) == YELLOW  # the reference 59.5 % is 60 %
    assert Figures(new=Counts(women=2), spent_sek=5).cost_per_participant_sek == 3  # 2.5 kr
    assert pro_rated(Decimal("0.1"), Period.parse("2024Q1")) == Decimal("0.03")  # 0.025


@given(st.one_of(st.integers(-(10**12), 10**12), st.decimals(-(10**9), 10**9, places=2)), st.booleans())
def test_a_swedish_number_reads_as_djangos_number_formatting_with_a_decimal_comma(value, grouped):
    """Whole numbers take a short cut; they read exactly as Django's formatting writes them."""
    expected = numberformat.format(
        value, ",", grouping=3 if grouped else 0, thousand_sep="\u00a0", force_grouping=grouped
    )
    assert shares.swedish_number(value, grouped=grouped) == expected


def test_a_swedish_number_groups_thousands_with_a_non_breaking_space():
    assert shares.swedish_number(2403500, grouped=True) == "2\u00a0403\u00a0500"
    assert shares.swedish_number(-999, grouped=True) == "-999"
    assert shares.swedish_number(2403500) == "2403500"
    assert shares.swedish_number(Decimal("45.5")) == "45,5"
