"""The survey figures of DOMAIN.md computed from hand-made answer distributions."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes.surveys.rules import (
    ANSWERED_EXCEEDS_INVITED,
    ANSWERS_SUM,
    COUNTS_LENGTH,
    DUPLICATE_QUESTION,
    GREEN,
    NO_DATA,
    RED,
    UNKNOWN_QUESTION,
    YELLOW,
    AnswerInput,
    Distribution,
    Share,
    SurveyInput,
    check_survey,
    light,
    pooled,
    pooled_mean,
    response_rate,
)


def test_a_six_step_question_has_positive_clearly_positive_and_key_figure_over_all_answers():
    # aldrig 0, sällan 1, ibland 2, ofta 6, för det mesta 8, alltid 7 = 24 answers
    d = Distribution("frequency6", (0, 1, 2, 6, 8, 7), blank=0, indicator=1)
    assert d.share("positive") == Share(21, 24)
    assert d.share("clearly_positive") == Share(15, 24)
    assert d.share("key_figure") == Share(15, 24)
    assert d.share("positive").percent == 88 and d.share("clearly_positive").value == Decimal("62.5")
    # (2*1 + 3*2 + 4*6 + 5*8 + 6*7) / 24 = 114 / 24
    assert d.mean == Decimal("4.75")
    assert d.share("yes") is None


def test_the_key_figure_of_indicator_7_counts_all_three_positive_answers():
    counts = (1, 2, 3, 4, 5, 5)
    readiness = Distribution("extent6", counts, indicator=7)
    other = Distribution("extent6", counts, indicator=8)
    assert readiness.share("key_figure") == Share(14, 20)
    assert other.share("key_figure") == Share(10, 20)
    assert readiness.share("clearly_positive") == Share(10, 20)


def test_blank_answers_are_left_out_of_the_shares_and_the_mean():
    d = Distribution("extent6", (0, 0, 1, 1, 1, 1), blank=6, indicator=2)
    assert d.total == 10
    assert d.share("positive") == Share(3, 4)
    assert str(d.share("positive")) == "75 % (3/4)"
    assert d.mean == Decimal("4.50")


def test_a_yes_no_question_has_share_yes_and_no_scale_figures():
    d = Distribution("yes_no", (4, 11), blank=2, indicator=6)
    assert d.share("yes") == Share(11, 15)
    assert d.share("yes").percent == 73
    assert d.share("positive") is None and d.share("key_figure") is None
    assert d.mean is None
    assert d.headline == "yes"


def test_a_question_nobody_answered_has_no_data_instead_of_a_division_error():
    d = Distribution("frequency6", (0, 0, 0, 0, 0, 0), blank=0, indicator=1)
    share = d.share("key_figure")
    assert share.denominator == 0 and share.value is None and share.percent is None
    assert str(share) == "–"
    assert d.mean is None
    assert light(share.percent, 70) == NO_DATA
    assert response_rate(invited=0, answered=0).percent is None


def test_an_indicator_pools_the_answers_of_its_questions_and_keeps_yes_no_apart():
    e8 = Distribution("yes_no", (3, 7), indicator=6)
    e9 = Distribution("extent6", (0, 1, 1, 2, 3, 3), indicator=6)  # 6 of 10 clearly positive
    e10 = Distribution("extent6", (1, 1, 2, 2, 2, 0), blank=2, indicator=6)  # 2 of 8
    assert pooled([e8, e9, e10], "clearly_positive") == Share(8, 18)
    assert pooled([e8, e9, e10], "key_figure") == Share(8, 18)
    assert pooled([e8, e9, e10], "positive") == Share(12, 18)
    assert pooled([e8, e9, e10], "yes") == Share(7, 10)
    assert pooled([e9, e10], "yes") is None
    # (2+3+8+15+18 + 1+2+6+8+10) / 18 = 73/18
    assert pooled_mean([e8, e9, e10]) == Decimal("4.06")


def test_the_published_response_table_is_reproduced():
    table = [(33, 24), (36, 24), (6, 6)]
    rows = [(i, i - a, a, response_rate(invited=i, answered=a).percent) for i, a in table]
    assert rows == [(33, 9, 24, 73), (36, 12, 24, 67), (6, 0, 6, 100)]


@pytest.mark.parametrize(
    ("percent", "reference", "expected"),
    [(72, 76.0, RED), (76, 75.6, YELLOW), (76, 76.4, YELLOW), (77, 76.4, GREEN), (50, None, NO_DATA)],
)
def test_lights_compare_whole_percents_red_lower_yellow_equal_green_higher(percent, reference, expected):
    assert light(percent, reference) == expected


class Question:
    def __init__(self, scale):
        self.scale = scale


QUESTIONS = {"p1": Question("frequency6"), "e8": Question("yes_no")}


def codes(violations):
    return {(v.field, v.code) for v in violations}


def test_valid_counts_break_no_rule():
    data = SurveyInput(
        invited=10,
        answered={"women": 5, "men": 3},
        answers=[AnswerInput("p1", (0, 1, 2, 2, 1, 1), blank=1), AnswerInput("e8", (2, 6))],
    )
    assert check_survey(data, questions=QUESTIONS, group="participant_ongoing") == []


def test_bad_counts_are_refused_with_the_rule_and_field_named():
    data = SurveyInput(
        invited=5,
        answered={"women": 5, "men": 3, "other": -1},
        answers=[
            AnswerInput("p1", (0, 1, 2, 2, 1, 0), blank=0),
            AnswerInput("e8", (2, 6, 0)),
            AnswerInput("x9", (1, 1)),
            AnswerInput("p1", (0, 0, 0, 0, 0, 7)),
        ],
    )
    found = codes(check_survey(data, questions=QUESTIONS, group="participant_ongoing"))
    assert found == {
        ("answered.other", "negative_count"),
        ("answered", ANSWERED_EXCEEDS_INVITED),
        ("answers[0].counts", ANSWERS_SUM),
        ("answers[1].counts", COUNTS_LENGTH),
        ("answers[2].question", UNKNOWN_QUESTION),
        ("answers[3].question", DUPLICATE_QUESTION),
    }


def test_negative_option_counts_are_refused():
    data = SurveyInput(invited=5, answered={"women": 1}, answers=[AnswerInput("p1", (2, -1, 0, 0, 0, 0), blank=-1)])
    found = codes(check_survey(data, questions=QUESTIONS, group="participant_ongoing"))
    assert found == {("answers[0].counts[1]", "negative_count"), ("answers[0].blank", "negative_count")}


six_counts = st.tuples(*[st.integers(0, 40)] * 6)


@given(counts=six_counts, blank=st.integers(0, 10), indicator=st.sampled_from([1, 6, 7, 9]))
def test_figures_hold_their_order_and_ignore_blanks_for_any_distribution(counts, blank, indicator):
    with_blank = Distribution("extent6", counts, blank=blank, indicator=indicator)
    without = Distribution("extent6", counts, blank=0, indicator=indicator)
    for figure in ("positive", "clearly_positive", "key_figure"):
        assert with_blank.share(figure) == without.share(figure)
        assert with_blank.share(figure).denominator == sum(counts)
    positive, clearly = with_blank.share("positive"), with_blank.share("clearly_positive")
    assert clearly.numerator <= positive.numerator <= positive.denominator
    expected_key = positive if indicator == 7 else clearly
    assert with_blank.share("key_figure") == expected_key
    if sum(counts):
        assert Decimal(1) <= with_blank.mean <= Decimal(6)
    else:
        assert with_blank.mean is None and positive.percent is None


@given(st.lists(six_counts, min_size=1, max_size=4))
def test_an_indicator_pooled_over_questions_sums_their_numerators_and_denominators(many):
    distributions = [Distribution("frequency6", c, indicator=3) for c in many]
    pooled_share = pooled(distributions, "positive")
    assert pooled_share.numerator == sum(sum(c[3:]) for c in many)
    assert pooled_share.denominator == sum(sum(c) for c in many)
