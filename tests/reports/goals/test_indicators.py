"""Indicator goals read the survey figures of the indicator-survey feature and follow its changes."""

from decimal import Decimal

import pytest
from django.test import TestCase

from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import survey_save
from reports.goals import services
from reports.goals.services import GoalInput
from reports.models import GoalResult
from tests.factories import InterventionFactory
from tests.outcomes.tallies.test_api import client_for
from tests.reports.goals.test_api import committed

pytestmark = pytest.mark.django_db


def indicator_goal(intervention, **fields):
    data = {"year": 2024, "label": "Mer redo för arbete", "kind": "indicator", "target": Decimal(60), **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.goal_create(intervention=intervention, data=GoalInput(**data))


def result(goal, period="2024") -> GoalResult:
    return GoalResult.objects.get(goal=goal, period=period)


def test_a_survey_put_over_the_api_updates_the_indicator_goal(staff, coordinator, intervention):
    goal = indicator_goal(intervention, question="e6", figure="key_figure")
    assert result(goal).status == "no_data"
    body = {
        "invited": 36,
        "answered": {"women": 14, "men": 9, "other": 1},
        "answers": [{"question": "e6", "counts": [0, 1, 2, 6, 8, 7], "blank": 0}],
    }
    response = committed(
        client_for(coordinator).put,
        f"/api/v1/interventions/{intervention.pk}/surveys/2024/participant_exit/",
        body,
        format="json",
    )
    assert response.status_code in (200, 201), response.json()
    year = result(goal)
    # Indicator 7's key figure counts all three positive answers: 21 of 24.
    assert (year.numerator, year.denominator, year.percent, year.status, year.stale) == (21, 24, 88, "green", False)
    assert result(goal, "2024YTDQ1").status == "no_data"  # a year's survey says nothing about Q1 alone

    answers = client_for(staff).get(f"/api/v1/interventions/{intervention.pk}/goal-results/?period=2024").json()
    assert (answers[0]["numerator"], answers[0]["denominator"], answers[0]["status"]) == (21, 24, "green")


def test_a_board_survey_of_the_association_updates_every_interventions_board_goal(intervention):
    other = InterventionFactory(association=intervention.association)
    goals = [
        indicator_goal(i, indicator_number=12, group="board", figure="clearly_positive", target=Decimal(50))
        for i in (intervention, other)
    ]
    data = SurveyInput(
        invited=7, answered={"women": 4, "men": 2}, answers=[AnswerInput(question="b12", counts=[0, 0, 1, 2, 2, 1])]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        survey_save(period_code="2024", group="board", data=data, association=intervention.association)
    for goal in goals:
        year = result(goal)
        assert (year.numerator, year.denominator, year.status) == (3, 6, "green")


def test_a_clearly_positive_share_below_the_yellow_ratio_is_red(intervention):
    goal = indicator_goal(intervention, question="e1", figure="clearly_positive", target=Decimal(80))
    data = SurveyInput(
        invited=10, answered={"women": 10}, answers=[AnswerInput(question="e1", counts=[1, 1, 2, 2, 2, 1], blank=1)]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        survey_save(period_code="2024", group="participant_exit", data=data, intervention=intervention)
    year = result(goal)
    assert (year.numerator, year.denominator, year.status) == (3, 9, "red")  # the blank answer is left out


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"question": "p1", "figure": "yes"}, "fråga p1"),
        ({"question": "e8", "figure": "key_figure"}, "fråga e8"),
        ({"indicator_number": 1, "group": "participant_ongoing", "figure": "yes"}, "indikator 1"),
        ({"indicator_number": 8, "group": "staff", "figure": "yes"}, "indikator 8"),
    ],
)
def test_it_refuses_an_indicator_goal_whose_figure_does_not_apply_to_the_question(intervention, fields, named):
    from reports.models import Goal

    with pytest.raises(services.GoalError) as refused:
        indicator_goal(intervention, **fields)
    [violation] = refused.value.violations
    assert (violation.code, violation.field) == ("figure_not_applicable", "figure")
    assert named in violation.message
    assert not Goal.objects.exists()


def test_a_figure_that_applies_to_some_questions_of_the_indicator_is_accepted(intervention):
    # Indicator 6 of participants at exit pools the yes/no e8 with the six-step e9 and e10.
    assert indicator_goal(intervention, indicator_number=6, group="participant_exit", figure="yes").figure == "yes"
    assert indicator_goal(intervention, indicator_number=6, group="participant_exit", figure="positive")
    assert indicator_goal(intervention, question="e8", figure="yes")


def test_the_goal_api_refuses_share_yes_on_a_six_step_question(staff, intervention):
    body = {"year": 2024, "label": "Nytta", "kind": "indicator", "target": 70, "question": "p1", "figure": "yes"}
    response = committed(client_for(staff).post, f"/api/v1/interventions/{intervention.pk}/goals/", body, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("figure", "figure_not_applicable")
    assert "Andel ja" in error["message"]
