import random

import pytest

from bench.seed_national import seed_association
from outcomes.models import PeriodReport, ReportStatus
from outcomes.periods import Period
from outcomes.tallies.selectors import period_figures
from outcomes.tallies.services import report_check

pytestmark = pytest.mark.django_db


def test_the_national_seed_makes_continuous_reports_that_pass_every_rule():
    made = seed_association(0, interventions=2, years=[2023, 2024], rng=random.Random(5))
    assert made == PeriodReport.objects.count() == 16
    for report in PeriodReport.objects.select_related("intervention"):
        assert report_check(intervention=report.intervention, period_code=report.period, figures=report.figures()) == []
    assert PeriodReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2
    report = PeriodReport.objects.filter(period="2024Q1").first()
    year = period_figures(intervention=report.intervention, period=Period.parse("2023"))
    assert year.ongoing_at_end == report.ongoing_at_start


def test_the_national_seed_sets_goals_of_every_kind_with_surveys_that_pass_the_survey_rules():
    from outcomes.models import Survey, SurveyQuestion
    from outcomes.surveys.rules import AnswerInput, SurveyInput, check_survey
    from reports.goals.services import goal_results_recompute_all
    from reports.models import Goal, GoalKind, GoalResult, ResultStatus

    seed_association(0, interventions=2, years=[2023, 2024], rng=random.Random(5))
    assert sorted(set(Goal.objects.values_list("kind", flat=True))) == sorted(GoalKind.values)
    assert Goal.objects.count() == 2 * 2 * len(GoalKind.values)
    for survey in Survey.objects.prefetch_related("answers__question"):
        questions = {a.question.code: a.question for a in survey.answers.all()}
        data = SurveyInput(
            invited=survey.invited,
            answered={"women": survey.answered_women, "men": survey.answered_men, "other": survey.answered_other},
            answers=[
                AnswerInput(a.question.code, list(a.counts_for(a.question.scale)), a.blank)
                for a in survey.answers.all()
            ],
        )
        assert check_survey(data, questions=questions, group=survey.group) == []
    assert Survey.objects.count() == 4 and SurveyQuestion.objects.exists()

    goal_results_recompute_all()
    statuses = set(GoalResult.objects.filter(goal__kind=GoalKind.INDICATOR).values_list("status", flat=True))
    assert statuses - {ResultStatus.NO_DATA}, "indicator goals read the seeded surveys"
    assert not GoalResult.objects.filter(stale=True).exists()


def test_the_national_seed_gives_a_structural_intervention_spending_but_no_participants():
    from outcomes.models import BreakdownCount, ExitCount
    from outcomes.organisations.models import InterventionKind

    seed_association(0, interventions=5, years=[2024], rng=random.Random(5))
    structural = PeriodReport.objects.filter(intervention__kind=InterventionKind.STRUCTURAL)
    individual = PeriodReport.objects.filter(intervention__kind=InterventionKind.INDIVIDUAL)
    assert structural.count() == 4 and individual.count() == 16
    for report in structural:
        figures = report.figures()
        assert (figures.ongoing_at_start.total, figures.new.total, figures.exits.total) == (0, 0, 0)
        assert figures.spent_sek > 0
    assert not ExitCount.objects.filter(report__in=structural).exists()
    assert not BreakdownCount.objects.filter(report__in=structural).exists()
    assert BreakdownCount.objects.filter(report__in=individual).exists()
