"""Storing surveys through the service and reading figures and tables through the selectors."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import signals
from outcomes.models import NationalAverage, Survey, SurveyAnswer, SurveyQuestion
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.selectors import survey_figure
from outcomes.surveys.services import SurveyError, national_averages_set, survey_save
from outcomes.surveys.tables import survey_tables
from tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def ongoing(invited=33, women=14, men=9, other=1, **answers):
    """A participant_ongoing survey; ``answers`` maps question code to (counts, blank)."""
    return SurveyInput(
        invited=invited,
        answered={"women": women, "men": men, "other": other},
        answers=[AnswerInput(code, counts, blank) for code, (counts, blank) in answers.items()],
    )


def save(intervention, period, group, data):
    return survey_save(intervention=intervention, period_code=period, group=group, data=data)


def test_a_saved_survey_answers_its_figures_for_a_question_and_an_indicator(intervention):
    save(
        intervention,
        "2024",
        "participant_ongoing",
        ongoing(p1=((0, 1, 2, 6, 8, 7), 0), p6=((1, 2, 3, 4, 7, 6), 1)),
    )
    figure = lambda **kw: survey_figure(intervention=intervention, period="2024", group="participant_ongoing", **kw)  # noqa: E731
    assert figure(figure="positive", question_code="p1") == (21, 24)
    assert figure(figure="clearly_positive", question_code="p1") == (15, 24)
    assert figure(figure="key_figure", question_code="p1") == (15, 24)
    # p6 feeds indicator 7: the key figure counts the three positive options; blank left out.
    assert figure(figure="key_figure", question_code="p6") == (17, 23)
    assert figure(figure="key_figure", indicator_number=7) == (17, 23)
    assert figure(figure="clearly_positive", indicator_number=7) == (13, 23)
    assert figure(figure="yes", question_code="p1") is None


def test_there_is_no_figure_without_a_survey_and_no_data_for_a_group_with_zero_answers(intervention):
    assert (
        survey_figure(intervention=intervention, period="2024", figure="key_figure", group="staff", question_code="s8")
        is None
    )
    save(
        intervention,
        "2024",
        "staff",
        SurveyInput(invited=6, answered={}, answers=[AnswerInput("s8", (0,) * 6, 0)]),
    )
    assert survey_figure(
        intervention=intervention, period="2024", figure="key_figure", group="staff", question_code="s8"
    ) == (0, 0)
    group = survey_tables(intervention=intervention, period="2024")["groups"][0]
    cell = group["rows"][0]["cells"][0]
    assert (cell["percent"], cell["value"], cell["national_light"]) == (None, None, "no_data")
    assert group["response_rate"]["percent"] == 0 and group["response_rate"]["non_response"] == 6


def test_an_indicator_pools_yes_no_questions_apart_from_six_step_ones(intervention):
    data = SurveyInput(
        invited=12,
        answered={"women": 10},
        answers=[
            AnswerInput("e8", (3, 7), 0),
            AnswerInput("e9", (0, 1, 1, 2, 3, 3), 0),
            AnswerInput("e10", (1, 1, 2, 2, 2, 0), 2),
        ],
    )
    save(intervention, "2024", "participant_exit", data)
    args = {"intervention": intervention, "period": "2024", "group": "participant_exit", "indicator_number": 6}
    assert survey_figure(figure="yes", **args) == (7, 10)
    assert survey_figure(figure="clearly_positive", **args) == (8, 18)


def test_quarters_are_pooled_for_the_year_unless_the_year_itself_was_entered(intervention):
    save(intervention, "2024Q1", "participant_ongoing", ongoing(5, 2, 1, 0, p1=((0, 0, 0, 1, 1, 1), 0)))
    save(intervention, "2024Q3", "participant_ongoing", ongoing(5, 3, 0, 0, p1=((1, 0, 0, 0, 1, 1), 0)))
    args = {"intervention": intervention, "group": "participant_ongoing", "question_code": "p1"}
    assert survey_figure(period="2024", figure="positive", **args) == (5, 6)
    assert survey_figure(period="2024H1", figure="positive", **args) == (3, 3)
    save(intervention, "2024", "participant_ongoing", ongoing(10, 2, 0, 0, p1=((1, 1, 0, 0, 0, 0), 0)))
    assert survey_figure(period="2024", figure="positive", **args) == (0, 2)


def test_the_published_response_table_is_reproduced_from_stored_surveys(intervention):
    for group, invited, answered, code in [
        ("participant_ongoing", 33, 24, "p1"),
        ("participant_exit", 36, 24, "e1"),
        ("staff", 6, 6, "s8"),
    ]:
        data = SurveyInput(
            invited=invited, answered={"women": answered}, answers=[AnswerInput(code, (0, 0, 0, 0, 0, answered), 0)]
        )
        save(intervention, "2021", group, data)
    rates = survey_tables(intervention=intervention, period="2021")["response_rates"]
    table = [(r["label"], r["invited"], r["non_response"], r["answered"], f"{r['percent']} %") for r in rates]
    assert table == [
        ("pågående deltagare", 33, 9, 24, "73 %"),
        ("avslutade deltagare", 36, 12, 24, "67 %"),
        ("personal", 6, 0, 6, "100 %"),
    ]


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (ongoing(p1=((0, 1, 2, 6, 8, 6), 0)), "answers_sum"),
        (ongoing(p1=((0, 1, 2, 6, 8, 8), -1)), "negative_count"),
        (ongoing(invited=20), "answered_exceeds_invited"),
        (ongoing(x1=((0, 0, 0, 0, 0, 24), 0)), "unknown_question"),
        (ongoing(e1=((0, 0, 0, 0, 0, 24), 0)), "unknown_question"),
        (ongoing(women=-1, men=25, other=0), "negative_count"),
    ],
)
def test_bad_input_is_refused_with_the_rule_named_and_the_stored_survey_kept(intervention, data, rule):
    good = ongoing(p1=((0, 1, 2, 6, 8, 7), 0))
    save(intervention, "2024", "participant_ongoing", good)
    with pytest.raises(SurveyError) as error:
        save(intervention, "2024", "participant_ongoing", data)
    assert rule in {v.code for v in error.value.violations}
    survey = Survey.objects.get()
    assert (survey.invited, survey.answered.total, survey.version) == (33, 24, 1)
    assert list(SurveyAnswer.objects.values_list("option_6", flat=True)) == [7]


@pytest.mark.parametrize(
    ("period", "group", "rule"),
    [
        ("2024", "bosses", "unknown_group"),
        ("2024", "board", "unknown_group"),
        ("2024T1", "participant_ongoing", "period_not_aligned"),
        ("2024YTDQ2", "participant_ongoing", "invalid_period"),
        ("2019", "participant_ongoing", "period_outside_intervention"),
    ],
)
def test_a_wrong_period_or_group_stores_nothing(intervention, period, group, rule):
    with pytest.raises(SurveyError) as error:
        save(intervention, period, group, ongoing())
    assert [v.code for v in error.value.violations] == [rule]
    assert not Survey.objects.exists()


def test_board_surveys_belong_to_the_association(association):
    data = SurveyInput(invited=7, answered={"women": 4, "men": 3}, answers=[AnswerInput("b12", (0, 0, 1, 2, 3, 1), 0)])
    result = survey_save(association=association, period_code="2024", group="board", data=data)
    assert result.survey.intervention is None
    intervention = InterventionFactory(association=association)
    assert survey_figure(
        intervention=intervention, period="2024", group="board", figure="key_figure", question_code="b12"
    ) == (4, 7)
    with pytest.raises(SurveyError):
        survey_save(association=association, period_code="2024", group="staff", data=data)


def test_saving_the_same_survey_twice_keeps_one_version_and_a_change_is_announced_after_commit(
    intervention, django_capture_on_commit_callbacks
):
    received = []
    handler = lambda **kw: received.append(kw)  # noqa: E731
    signals.survey_changed.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 8, 7), 0)))
        with django_capture_on_commit_callbacks(execute=True):
            again = save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 8, 7), 0)))
    finally:
        signals.survey_changed.disconnect(handler)
    assert (first.created, again.changed, again.survey.version) == (True, False, 1)
    assert len(received) == 1
    assert received[0]["intervention_id"] == intervention.pk and received[0]["period"] == "2024"
    assert received[0]["association_id"] == intervention.association_id


def test_tables_show_five_years_with_lights_against_national_average_and_previous_year(intervention):
    association = intervention.association
    for year, top in [(2021, 10), (2022, 12), (2023, 14), (2024, 15)]:
        rest = 24 - top
        save(intervention, str(year), "participant_ongoing", ongoing(p1=((rest, 0, 0, 0, 0, top), 0)))
    national_averages_set(association=association, year=2024, values={"p1": 62.5})
    national_averages_set(association=association, year=2023, values={"p1": 70})
    tables = survey_tables(intervention=intervention, period="2024")
    assert tables["periods"] == ["2024", "2023", "2022", "2021", "2020"]
    group = tables["groups"][0]
    assert group["questions"][0]["code"] == "p1"
    p1 = [row["cells"][0] for row in group["rows"]]
    assert [c["percent"] for c in p1] == [63, 58, 50, 42, None]
    assert [c["previous_light"] for c in p1] == ["green", "green", "green", "no_data", "no_data"]
    # 15/24 = 62.5 % shows as 63, the national average 62.5 also as 63: equal, yellow.
    assert [c["national_light"] for c in p1[:2]] == ["yellow", "red"]
    assert [r["has_survey"] for r in group["rows"]] == [True, True, True, True, False]


def test_a_lower_figure_than_last_year_is_red(intervention):
    save(intervention, "2023", "participant_ongoing", ongoing(p1=((10, 0, 0, 0, 0, 14), 0)))
    save(intervention, "2024", "participant_ongoing", ongoing(p1=((11, 0, 0, 0, 0, 13), 0)))
    cell = survey_tables(intervention=intervention, period="2024")["groups"][0]["rows"][0]["cells"][0]
    assert (cell["percent"], cell["previous_percent"], cell["previous_light"]) == (54, 58, "red")


def test_survey_tables_take_the_same_number_of_queries_for_more_groups_and_years(intervention):
    save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 8, 7), 0)))
    with CaptureQueriesContext(connection) as few:
        survey_tables(intervention=intervention, period="2024")
    for year in range(2020, 2025):
        for group, code in [("participant_exit", "e1"), ("staff", "s8")]:
            data = SurveyInput(invited=9, answered={"men": 3}, answers=[AnswerInput(code, (0, 0, 0, 1, 1, 1), 0)])
            save(intervention, str(year), group, data)
    with CaptureQueriesContext(connection) as many:
        tables = survey_tables(intervention=intervention, period="2024")
    assert len(tables["groups"]) == 3
    assert len(many) == len(few) == 4


def test_national_averages_refuse_unknown_questions_and_values_outside_0_to_100(association):
    national_averages_set(association=association, year=2024, values={"p1": 76.0, "e6": "59"})
    with pytest.raises(SurveyError) as error:
        national_averages_set(association=association, year=2024, values={"p1": 101, "zz": 5})
    assert {(v.field, v.code) for v in error.value.violations} == {
        ("p1", "average_range"),
        ("zz", "unknown_question"),
    }
    stored = dict(NationalAverage.objects.values_list("question__code", "percent"))
    assert {k: float(v) for k, v in stored.items()} == {"p1": 76.0, "e6": 59.0}


def test_tables_of_many_interventions_match_one_by_one_in_four_queries(association):
    from outcomes.surveys.tables import survey_tables_many

    interventions = [InterventionFactory(association=association) for _ in range(3)]
    for n, intervention in enumerate(interventions):
        save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 0, 0, 0, 24 - n, n), 0)))
        save(
            intervention,
            "2023",
            "staff",
            SurveyInput(invited=6, answered={"men": 6}, answers=[AnswerInput("s8", (0, 0, 0, 0, 0, 6))]),
        )
    with CaptureQueriesContext(connection) as queries:
        many = survey_tables_many(interventions=interventions, period="2024")
    assert len(queries) == 4
    for intervention in interventions:
        assert many[intervention.pk] == survey_tables(intervention=intervention, period="2024")
    # Each intervention gets its own answers: the means differ (5 + n/24).
    assert [many[i.pk]["groups"][0]["rows"][0]["cells"][0]["figures"]["mean"] for i in interventions] == [
        5.0,
        5.04,
        5.08,
    ]
    assert [len(many[i.pk]["groups"]) for i in interventions] == [2, 2, 2]


def test_a_retired_question_is_kept_where_it_was_answered_and_refused_in_new_surveys(association, intervention):
    other = InterventionFactory(association=association)
    save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 8, 7), 0), p2=((0, 0, 0, 0, 0, 24), 0)))
    save(other, "2024", "participant_ongoing", ongoing(p2=((0, 0, 0, 0, 0, 24), 0)))
    SurveyQuestion.objects.filter(association=association, code="p1").update(active=False)
    # The survey that answered it is saved again with it; a new survey is refused.
    save(intervention, "2024", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 9, 6), 0)))
    assert survey_figure(
        intervention=intervention, period="2024", figure="positive", group="participant_ongoing", question_code="p1"
    ) == (21, 24)
    with pytest.raises(SurveyError) as error:
        save(intervention, "2025", "participant_ongoing", ongoing(p1=((0, 1, 2, 6, 8, 7), 0)))
    assert [(v.field, v.code) for v in error.value.violations] == [("answers[0].question", "unknown_question")]

    def columns(of, period):
        tables = survey_tables(intervention=of, period=period)
        return [q["code"] for q in tables["groups"][0]["questions"]]

    # Its table keeps the column while the answered year is shown; the other intervention's has none.
    assert "p1" in columns(intervention, "2025") and "p2" in columns(intervention, "2025")
    assert "p1" not in columns(other, "2024") and "p2" in columns(other, "2024")


def test_national_averages_are_rounded_half_up_to_one_decimal_like_every_figure(association):
    stored = national_averages_set(association=association, year=2024, values={"p1": "62.25", "e6": "59.35"})
    assert stored == {"p1": Decimal("62.3"), "e6": Decimal("59.4")}
